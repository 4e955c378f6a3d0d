"""Blocks for lessons: what a lesson holds (text, images, video, attachments) and its
optional short quiz."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from cms.blocks import CalloutBlock


class VideoFileBlock(blocks.StructBlock):
    """An uploaded video (stored as a document: mp4/webm), played in the page."""

    file = DocumentChooserBlock(label=_("Video file"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        template = "courses/blocks/video_file.html"
        label = _("Uploaded video")


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    title = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/attachment.html"
        label = _("Attachment")


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title",
                               template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"),
                                     features=["bold", "italic", "link", "ol", "ul", "h3"])
    image = ImageBlock(label=_("Image"))
    video = EmbedBlock(label=_("Embedded video"), required=False)
    video_file = VideoFileBlock()
    attachment = AttachmentBlock()
    callout = CalloutBlock(label=_("Callout"))


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "tick"


class QuestionBlock(blocks.StructBlock):
    """One question. Several correct choices make it a multiple-answer question; the
    learner must then pick exactly the correct ones."""

    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2, max_num=8)
    explanation = blocks.TextBlock(label=_("Explanation shown after answering"),
                                   required=False)

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise blocks.StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer correct."))}
            )
        return value


class QuizBlock(blocks.StreamBlock):
    question = QuestionBlock()

    class Meta:
        max_num = 20
