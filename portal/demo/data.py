"""Reference data of the demo county. Everything here is fictional.

The demo password is defined here and nowhere else; `load_demo` refuses to run with
DEBUG off unless forced, so a production database never gets it by accident."""

# Every demo account in API.md signs in with this password. Demo data only.
PASSWORD = "xiangyang-demo"

# Fixed seed: the same plan (names, dates, restrictions) on every machine.
SEED = 20200701

COUNTY = "青禾县"
NEIGHBOUR_COUNTY = "望川县"

# (code, name, English name, county)
DISTRICTS = [
    ("qh-chengguan", "城关镇", "Chengguan", COUNTY),
    ("qh-liuhe", "柳河镇", "Liuhe", COUNTY),
    ("qh-shiqiao", "石桥镇", "Shiqiao", COUNTY),
    ("qh-taoyuan", "桃源镇", "Taoyuan", COUNTY),
    ("qh-bailu", "白鹭乡", "Bailu", COUNTY),
    ("qh-qingshan", "青山乡", "Qingshan", COUNTY),
    # Outside the area: travelling here needs approval (Art. 27).
    ("wangchuan", NEIGHBOUR_COUNTY, "Wangchuan County", NEIGHBOUR_COUNTY),
]

# (code, name, English name)
SKILLS = [
    ("electrician", "电工", "Electrician"),
    ("welding", "电焊", "Welding"),
    ("cooking", "中式烹调", "Chinese cooking"),
    ("driving", "机动车驾驶", "Driving"),
    ("ecommerce", "网店运营", "Online shop operation"),
    ("livestream", "直播带货", "Live-stream selling"),
    ("housekeeping", "家政服务", "Housekeeping"),
    ("planting", "种植技术", "Crop growing"),
    ("renovation", "装修装饰", "Renovation"),
    ("computer", "计算机操作", "Computer skills"),
    ("bookkeeping", "财务记账", "Bookkeeping"),
    ("warehouse", "仓储管理", "Warehousing"),
    ("sewing", "缝纫", "Sewing"),
    ("hairdressing", "美容美发", "Hairdressing"),
]

INDUSTRIES = [
    ("catering", "餐饮", "Catering"),
    ("entertainment", "娱乐场所", "Entertainment venues"),
    ("ecommerce", "电子商务", "E-commerce"),
    ("agriculture", "农业种植", "Agriculture"),
    ("logistics", "物流", "Logistics"),
    ("construction", "建筑", "Construction"),
    ("education", "教育培训", "Education and training"),
    ("finance", "金融", "Finance"),
    ("childcare", "托育服务", "Childcare"),
    ("food", "食品生产", "Food production"),
]

VENUE_TYPES = [
    ("bar", "酒吧/歌舞厅", "Bars and karaoke halls"),
    ("internet-cafe", "网吧", "Internet cafés"),
    ("school", "学校及幼儿园", "Schools and kindergartens"),
    ("gambling", "赌博场所", "Gambling venues"),
    ("chess-room", "棋牌室", "Card and mahjong rooms"),
    ("mass-event", "大型群众性活动场所", "Large public events"),
]

# The unit tree. key → (name, kind, district code, address, phone, parent key)
BUREAU = "bureau"
UNITS = {
    BUREAU: ("青禾县司法局社区矫正局", "bureau", "qh-chengguan",
             "青禾县城关镇文昌路18号 社区矫正中心", "12348", None),
    "squad1": ("社区矫正第一中队", "squad", "qh-chengguan",
               "青禾县城关镇文昌路18号 社区矫正中心二楼", "", BUREAU),
    "squad2": ("社区矫正第二中队", "squad", "qh-taoyuan",
               "青禾县桃源镇桃花路6号", "", BUREAU),
    "liuhe": ("柳河镇司法所", "justice_office", "qh-liuhe", "青禾县柳河镇河滨街21号", "", BUREAU),
    "shiqiao": ("石桥镇司法所", "justice_office", "qh-shiqiao", "青禾县石桥镇新街3号", "",
                BUREAU),
    "bailu": ("白鹭乡司法所", "justice_office", "qh-bailu", "青禾县白鹭乡政府院内", "", BUREAU),
}

# Townships each unit covers (where its supervisees live).
UNIT_AREAS = {
    "squad1": ["qh-chengguan", "qh-qingshan"],
    "squad2": ["qh-taoyuan"],
    "liuhe": ["qh-liuhe"],
    "shiqiao": ["qh-shiqiao"],
    "bailu": ["qh-bailu"],
}

# Unit staff: (username, display name, unit key, role, job title, demo password?)
# The ten caseworkers, then the bureau's administrator.
UNIT_STAFF = [
    ("caseworker", "林晓燕", "squad1", "caseworker", "中队长", True),
    ("demo-cw02", "何志远", "squad1", "caseworker", "社区矫正专职社工", False),
    ("demo-cw03", "高雅琴", "squad1", "caseworker", "社区矫正专职社工", False),
    ("caseworker2", "郭振华", "squad2", "caseworker", "中队长", True),
    ("demo-cw05", "宋佳", "squad2", "caseworker", "社区矫正专职社工", False),
    ("demo-cw06", "韩立军", "squad2", "caseworker", "社区矫正执法人员", False),
    ("demo-cw07", "曹文斌", "liuhe", "caseworker", "司法所所长", False),
    ("demo-cw08", "邓丽", "liuhe", "caseworker", "司法助理员", False),
    ("demo-cw09", "彭国栋", "shiqiao", "caseworker", "司法所所长", False),
    ("demo-cw10", "沈晓梅", "bailu", "caseworker", "司法所所长", False),
    ("unitadmin", "孙卫东", BUREAU, "unit_admin", "副局长", True),
]

# Accounts that are neither unit staff nor supervisees.
SUPERUSER = ("admin", "系统管理员")
EDITOR = ("editor", "内容编辑")

# Partners. `staff`: (username, display name, role, job title, demo password?).
# Phone numbers use the invalid area code 0000 so they can never reach a real line.
ORGANISATIONS = [
    {
        "key": "qihang",
        "name": "青禾县启航社会工作服务中心",
        "kind": "ngo",
        "district": "qh-chengguan",
        "address": "青禾县城关镇育才路45号",
        "phone": "0000-6610001",
        "contact": "周敏",
        "summary": "专业社工机构，承接社区矫正教育帮扶购买服务，开展法治课堂、个案帮扶和家庭支持小组，"
                   "组织义务巡防、法治宣传等公益活动。",
        "services": ["法治教育课堂（民法典、反电信诈骗、防范赌博）", "个案帮扶与家庭走访",
                     "公益活动组织与时长记录", "困难家庭子女助学对接"],
        "staff": [("ngo", "周敏", "partner_staff", "项目主管", True),
                  ("demo-p01", "罗海燕", "partner_manager", "中心主任", False)],
    },
    {
        "key": "nuanyang",
        "name": "青禾县暖阳公益服务中心",
        "kind": "ngo",
        "district": "qh-taoyuan",
        "address": "青禾县桃源镇桃花路28号",
        "phone": "0000-6610002",
        "contact": "许静",
        "summary": "关注困难家庭和老年人的公益组织，管理社区矫正教育帮扶基金的申请初审，组织敬老助老服务。",
        "services": ["教育帮扶基金申请指导", "敬老院与空巢老人探访", "节日慰问与临时救助对接"],
        "staff": [("demo-p02", "许静", "partner_manager", "理事长", False)],
    },
    {
        "key": "fazhi",
        "name": "青禾县法治宣传志愿者协会",
        "kind": "ngo",
        "district": "qh-chengguan",
        "address": "青禾县城关镇文昌路18号",
        "phone": "0000-6610003",
        "contact": "唐建平",
        "summary": "由律师、退休法官和教师组成的志愿者协会，走进乡镇和中队讲授法律常识，提供免费法律咨询。",
        "services": ["以案说法专题讲座", "免费法律咨询", "法律文书写作指导"],
        "staff": [("demo-p03", "唐建平", "partner_manager", "会长", False)],
    },
    {
        "key": "jiating",
        "name": "青禾县家庭教育促进会",
        "kind": "ngo",
        "district": "qh-shiqiao",
        "address": "青禾县石桥镇新街17号",
        "phone": "0000-6610004",
        "contact": "田雪梅",
        "summary": "面向未成年人及其家庭开展亲子沟通、学业辅导和家庭关系修复，参与“护苗”关护帮教。",
        "services": ["亲子沟通工作坊", "未成年人学业辅导", "家庭关系修复小组"],
        "staff": [("demo-p04", "田雪梅", "partner_manager", "秘书长", False)],
    },
    {
        "key": "xinqing",
        "name": "青禾县心晴心理咨询中心",
        "kind": "counselling",
        "district": "qh-chengguan",
        "address": "青禾县城关镇人民路102号三楼",
        "phone": "0000-6620001",
        "contact": "叶文静",
        "summary": "持证心理咨询师团队，提供入矫心理评估、一对一心理咨询和情绪管理团体辅导，咨询记录严格保密。",
        "services": ["入矫心理评估", "一对一心理咨询（线下或视频）", "情绪与压力管理团体辅导",
                     "危机干预转介"],
        "staff": [("counsellor", "叶文静", "partner_staff", "心理咨询师", True),
                  ("demo-p05", "陆晨", "partner_manager", "中心负责人", False)],
    },
    {
        "key": "zhengxin",
        "name": "青禾县正心心理健康服务站",
        "kind": "counselling",
        "district": "qh-liuhe",
        "address": "青禾县柳河镇卫生院门诊楼二楼",
        "phone": "0000-6620002",
        "contact": "范志刚",
        "summary": "设在乡镇卫生院的心理健康服务站，为柳河、石桥、白鹭片区提供就近咨询和家庭辅导。",
        "services": ["就近心理咨询", "家庭辅导", "戒酒与行为矫正支持"],
        "staff": [("demo-p06", "范志刚", "partner_manager", "站长", False)],
    },
    {
        "key": "hexiang",
        "name": "禾香电子商务产业园",
        "kind": "enterprise",
        "district": "qh-chengguan",
        "address": "青禾县城关镇产业大道9号",
        "phone": "0000-6630001",
        "contact": "江涛",
        "summary": "县级电子商务产业园，园内设有电商直播实训基地，提供网店运营、直播带货和客服岗位培训，"
                   "结业后可在园区企业就业。",
        "services": ["电商直播实训基地（每期4周）", "网店运营与客服岗位", "创业孵化工位"],
        "staff": [("enterprise", "江涛", "partner_staff", "人事专员", True),
                  ("demo-p07", "潘丽华", "partner_manager", "园区运营总监", False)],
    },
    {
        "key": "jinyin",
        "name": "青禾县金银花种植专业合作社",
        "kind": "enterprise",
        "district": "qh-bailu",
        "address": "青禾县白鹭乡花园村",
        "phone": "0000-6630002",
        "contact": "钟国强",
        "summary": "金银花种植与初加工合作社，设有农业种植实训基地，提供季节性采摘、种植管理和烘干加工岗位。",
        "services": ["农业种植实训基地", "季节性采摘岗位", "烘干加工车间岗位"],
        "staff": [("demo-p08", "钟国强", "partner_manager", "理事长", False)],
    },
    {
        "key": "shunda",
        "name": "青禾县顺达物流有限公司",
        "kind": "enterprise",
        "district": "qh-taoyuan",
        "address": "青禾县桃源镇物流园A区",
        "phone": "0000-6630003",
        "contact": "汪建军",
        "summary": "县域快递分拣和仓储企业，仓储实训基地培训叉车、分拣和仓库管理，长期招聘分拣员和配送员。",
        "services": ["仓储实训基地", "分拣员、仓库管理员岗位", "同城配送员岗位"],
        "staff": [("demo-p09", "汪建军", "partner_manager", "总经理", False)],
    },
    {
        "key": "anju",
        "name": "青禾县安居建筑劳务有限公司",
        "kind": "enterprise",
        "district": "qh-shiqiao",
        "address": "青禾县石桥镇工业路12号",
        "phone": "0000-6630004",
        "contact": "黎明辉",
        "summary": "建筑劳务企业，与县职业中专共建建筑技能实训基地，培训电工、电焊和装修技能，可推荐持证上岗。",
        "services": ["建筑技能实训基地（电工、电焊、装修）", "施工现场普工岗位", "技能等级证书考前辅导"],
        "staff": [("demo-p10", "黎明辉", "partner_manager", "总经理", False)],
    },
    {
        "key": "qiaoshou",
        "name": "青禾县巧手家政服务有限公司",
        "kind": "enterprise",
        "district": "qh-chengguan",
        "address": "青禾县城关镇幸福街66号",
        "phone": "0000-6630005",
        "contact": "孔秀兰",
        "summary": "家政与养老护理服务企业，设有家政服务实训基地，培训保洁、收纳和养老护理，工作时间可灵活安排。",
        "services": ["家政服务实训基地", "保洁与收纳岗位（可选半天班）", "养老护理员岗位"],
        "staff": [("demo-p11", "孔秀兰", "partner_manager", "经理", False)],
    },
    {
        "key": "zhuguang",
        "name": "青禾县逐光志愿服务队",
        "kind": "volunteer_team",
        "district": "qh-chengguan",
        "address": "青禾县城关镇文昌路18号 社区矫正中心一楼",
        "phone": "0000-6640001",
        "contact": "严宏",
        "summary": "在县民政局登记的志愿服务组织，队员自愿参加、不计报酬，开展义务巡防、法治宣传、敬老服务、"
                   "文明创建和环境整治活动，志愿时长经本人同意后录入全国志愿服务信息系统。",
        "services": ["义务巡防", "法治宣传", "敬老服务", "文明创建与环境整治", "志愿服务证书开具"],
        "staff": [("volunteerteam", "严宏", "partner_staff", "队长", True),
                  ("demo-p12", "吕晓光", "partner_manager", "秘书", False)],
    },
]

# In-portal messages, so the demo inboxes are not empty.
# username → [(kind, title, body, link, already read?)]
NOTIFICATIONS = {
    "supervisee": [
        ("welcome", "欢迎使用向阳平台",
         "您的账号已开通。可以在“我的档案”中查看矫正期限、本月目标和自己的同意选项。", "/me/", True),
        ("travel_approved", "外出申请已批准",
         "您赴望川县参加职业技能考试的外出申请已批准，请按批准的时间往返，返回后及时报告。", "/me/",
         False),
        ("monthly_target", "本月学习和服务目标",
         "本月请完成8小时学习和8小时公益活动，可在课程目录中自主选课。", "/dashboard/", False),
        ("news", "电商直播实训班开始报名",
         "禾香电子商务产业园下一期电商直播实训班开始报名，有意参加请联系工作人员。", "/news/", False),
    ],
    "supervisee2": [
        ("welcome", "欢迎使用向阳平台",
         "您的账号已开通。严管期间每月学习和服务目标较高，请合理安排时间。", "/me/", False),
    ],
    "juvenile": [
        ("welcome", "欢迎使用向阳平台",
         "你的账号已开通。“护苗”暑期活动开始报名，可以向负责的工作人员咨询。", "/me/", False),
    ],
    "released": [
        ("released", "解除矫正后仍可使用帮扶服务",
         "安置帮教期内，您仍然可以参加课程、志愿服务和就业帮扶。", "/dashboard/", False),
    ],
    "caseworker2": [
        ("terms_ending", "近期有矫正期满人员",
         "您负责的人员中有矫正期将在30天内届满的，请及时安排解除矫正前的准备工作。", "/dashboard/",
         False),
    ],
    "ngo": [
        ("welcome", "合作机构账号已开通",
         "可以在平台上发布公益活动和课程；参加者在您的活动中只以化名或隐去名字的称呼出现。", "/dashboard/",
         False),
    ],
    "volunteerteam": [
        ("welcome", "志愿服务队账号已开通",
         "可以发布志愿服务活动、记录志愿时长；证书只会为本人同意的队员开具。", "/dashboard/", False),
    ],
    "counsellor": [
        ("welcome", "心理咨询机构账号已开通",
         "可以发布可预约的咨询时段，接收工作人员的转介；咨询记录只有本机构可见。", "/dashboard/", False),
    ],
    "enterprise": [
        ("welcome", "合作企业账号已开通",
         "可以发布岗位和实训名额；求职者投递或同意展示资料后，您才能看到其求职信息。", "/dashboard/",
         False),
    ],
    "editor": [
        ("draft_waiting", "有一篇新闻草稿等待发布",
         "“年度社区矫正教育帮扶工作回顾”仍是草稿，补充数据后可提交发布。", "/admin/", False),
    ],
    "caseworker": [
        ("terms_ending", "近期有矫正期满人员",
         "您负责的人员中有矫正期将在30天内届满的，请及时安排解除矫正前的准备工作。", "/dashboard/",
         False),
    ],
}
