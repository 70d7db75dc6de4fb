"""Surname and character lists used by the name finder.

Data only: the 百家姓 surnames plus common modern ones, compound surnames, and the character
classes that tell a given name from the word that follows it.
"""

SINGLE_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康"
    "伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵"
    "席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗"
    "丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫"
    "乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄"
    "印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂"
    "濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘"
    "匡国文寇广禄阙东殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查"
    "后荆红游竺权逯盖益桓公闫亓付肖岳邸佟覃粟"
    # Common modern surnames outside the 百家姓 (牟海峰, 冼星海, 麦秀英).
    "牟冼揭麦邝佘苟禤仝尧隋晋郇贠缑谌兰甯郄茆笪靖帅"
)

COMPOUND_SURNAMES = frozenset(
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
    "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 端木 呼延 南宫 西门 东郭 第五".split()
)

# Characters that (almost) never occur in a given name: a candidate containing one is a word.
NON_NAME_CHARS = frozenset(
    "的了在是和与及等对于为向由将被把从到之其该本此各每某有无不也都又并或即就我你他她它们号年月日"
    "元万亿条款项局委县区市镇乡村省部厅处科室所站院校司厂店队组办府党协会员人者请示期辆引目务事街"
    "巷楼层门户域庄屯沟湾营寨港场馆产品程计划设施管理息答决定通知告关据按照依经过进行展实推加"
    "表认说称讲问函话机址身证件码邮箱账卡补偿额标准积口费用资合内容况题罚执法律例规第共询拨致电住"
    "联系签政府否"
)

# Characters that end a candidate too early: "孙立新代表" must not become "孙立新代".
BAD_LAST_CHARS = NON_NAME_CHARS | frozenset("公同先女代老主提反证多今驾曾已因将上下后外家一三四五六七八九十未没要应可能均自")

# A candidate followed by one of these is the start of a place or an organisation (王家庄村).
PLACE_SUFFIX_CHARS = frozenset("村庄镇乡街路区县市省店厂局院校组屯沟湾营寨河州园楼公司社所站中队部委会办科处室馆场港桥道府集岭坡峪洼堡铺")

# Common words that have a surname's shape; a cue in front of them does not make them names.
WORD_STOPLIST = frozenset(
    "家庭 国家 家属 时间 高新 文化 明确 安全 全面 平安 常年 方面 于是 向前 和平 江南 林业 农业 金融 车间 "
    "车辆 车主 工作 华山 东湖 东方 南方 西方 北方 上级 黄河 石料 宫殿 党员 左右 周边 周末 周年 周期 程序 "
    "项目 万元 成员 成本 成立 成功 应急 公示 公告 公开 公共 公民 公路 公安 公园 关于 于此 于今 通过 "
    "通报 通知 通道 邮政 司法 市民 居民 居住 房屋 房产 单位 单独 相关 相应 经营 经济 经过 经费 利用 "
    "利益 余额 史料 贺电 谈话 路段 路线 路口 包括 包装 封闭 段落 符合 龙头 叶片 甘肃 申请 申报 扶贫 "
    "冉冉 连续 容易 向东 古城 易地 步行 都是 都市 满意 文件 文明 广场 广大 师生 简称 简化 沙漠 养老 "
    "须知 查询 查处 红色 游客 权利 盖章 益处 公司 高度 高速 高校 高层 钱款 孙子 孙女 李子 王府 张贴 "
    "邵阳 宁夏 于都 姜汁 陶瓷 金额 魏晋 葛根 章程 云南 潘家 奚落 苗木 方式 方案 任务 任何 柳树 史上 "
    "唐朝 费用 雷电 汤圆 罗列 毕业 常务 常住 乐园 时期 齐全 康复 余下 顾问 孟子 黄金 萧条 姚家 湛江 "
    "米面 明年 明显 计算 计生 伏天 成年 戴帽 宋朝 熊猫 纪律 舒适 屈指 项下 祝贺 董事 梁山 杜绝 蓝色 "
    "席位 季度 麻烦 强化 强制 贾汪 危险 江苏 童年 颜色 郭家 梅花 盛大 林地 钟表 徐州 田地 樊城 胡同 "
    "凌晨 霍乱 万一 管道 卢沟 莫名 经营者 房租 应当 应该 宗旨 丁字 宣传 邓州 洪水 包头 诸如 左侧 石油 "
    "崔家 吉林 程度 荣誉 惠民 曲阜 家电 封存 储备 段内 富裕 乌鲁 焦作 巴黎 谷物 车站 全体 全国 全部 "
    "全市 全县 全区 班级 秋季 仲裁 宫廷 宁静 甘蔗 武装 符号 刘家 景区 龙口 叶县 司机 黎明 白天 蒲公 "
    "从事 从而 索取 卓越 蒙古 池塘 乔木 双方 双向 闻名 党委 党组 申办 扶持 冉庄 桑园 牛羊 寿光 通讯 "
    "边界 燕子 冀州 浦东 尚未 农村 农民 温度 庄稼 柴油 连接 习惯 艾草 鱼塘 向上 古代 易于 慎重 戈壁 "
    "终止 居委 都会 耿直 满足 国务 国内 国际 文字 寇准 广州 东部 利于 越来 师范 巩固 聂耳 晁盖 勾画 "
    "融资 冷库 辛苦 那些 简单 饶恕 空间 曾经 沙子 养殖 关注 相对 查看 后期 后续 荆州 红旗 游泳 权限 "
    "盖州 益阳 公众 事项 兰州 兰花 晋城 晋中 晋江 麦田 麦子 靖江 揭阳 揭示 揭露 隋朝 尧都 家中 家里 家人 家乡".split()
)

# Function characters that real given names still use (王和平, 李元芳, 刘之华, 陈其美, 张万里, 周中华,
# 孙通海, 赵政宇): allowed inside a given name where the character after them closes the name.
GIVEN_NAME_FUNCTION_CHARS = "和元之其万通政中"

# Real surnames outside the lists above, most of them also common words (门, 展, 铁, 敬): the
# recognizer reads clauses holding them, and a cue name with one needs its end fixed by
# punctuation or a verb (老伴门德旺因病…), never a guess.
RARE_SURNAMES = frozenset(
    "母门展铁达闪仉撒代卿蹇谯敬植鄢粘把佴冶帖剧拓揣练过校种但买库图沐苑候初战庹綦逮信修召凡智"
    "续盘丛迟衣承礼寻操栗矫玄泮隽淡卯豆芦雒百琚律区黑商巫历来言亢晋牛腾钦"
) - SINGLE_SURNAMES
ALL_SURNAMES = SINGLE_SURNAMES | RARE_SURNAMES
