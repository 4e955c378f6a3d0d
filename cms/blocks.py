from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("Text"))

    class Meta:
        icon = "info-circle"
        template = "cms/blocks/callout.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title",
                               template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"),
                                     features=["bold", "italic", "link", "ol", "ul", "h3"])
    image = ImageBlock(label=_("Image"))
    embed = EmbedBlock(label=_("Video or embed"), required=False)
    callout = CalloutBlock(label=_("Callout"))
