"""A synthetic faqkb content tree of any size: a Chinese e-commerce help centre for benchmarks.

    python tests/harness/gen_tree.py OUT_DIR [--questions 10000] [--seed 1] [--force]

`generate(questions, seed)` returns the tree as plain data, the same for the same arguments;
`write_tree()` writes it as staff would: category folders (at most 3 levels) with `_category.yml`,
entry files most asked first, and `_synonyms.yml`. The tree passes `faqkb validate` with no
problem at all (tests/test_gen_tree.py holds it to that).

The vocabulary is long on purpose: the benchmarks' figures (how much jieba and the index have to
do, how large the search files grow) depend on how varied the text is, and every figure in
docs/benchmarks.md was measured on the trees this module writes. Changing a word changes the tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MARKER = ".gen_tree"  # dot-files are ignored by faqkb and excluded by MkDocs
MAX_FOLDER_DEPTH = 3

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# product categories: slug, title, products (also the third folder level)
PRODUCT_CATEGORIES = [
    ("clothing", "服饰鞋包", "纯棉T恤 真丝衬衫 羊毛大衣 羽绒服 牛仔裤 连衣裙 运动鞋 高跟鞋 帆布鞋 双肩包 托特包 钱包 围巾 "
     "针织开衫 冲锋衣 西装套装 睡衣 袜子 太阳镜 棒球帽 皮带 旗袍 汉服 防晒衣 马丁靴 雪地靴"),
    ("digital", "手机数码", "智能手机 蓝牙耳机 降噪耳机 平板电脑 智能手表 运动手环 充电宝 数据线 快充头 手机壳 钢化膜 "
     "移动硬盘 存储卡 数码相机 运动相机 无人机 云台稳定器 电子阅读器 游戏手柄 智能音箱 投影仪 对讲机 翻译机"),
    ("appliances", "家用电器", "空调 冰箱 洗衣机 烘干机 电视 热水器 油烟机 燃气灶 洗碗机 扫地机器人 吸尘器 空气净化器 "
     "加湿器 电饭煲 微波炉 空气炸锅 破壁机 电热水壶 电风扇 取暖器 净水器 咖啡机 电动牙刷 吹风机 剃须刀"),
    ("computers", "电脑办公", "笔记本电脑 台式主机 显示器 机械键盘 无线鼠标 打印机 扫描仪 路由器 固态硬盘 内存条 显卡 "
     "摄像头 麦克风 办公椅 碎纸机 投影幕布 墨盒 硒鼓 U盘 网线 交换机"),
    ("beauty", "美妆个护", "面霜 精华液 防晒霜 洗面奶 面膜 口红 粉底液 眼影盘 香水 卸妆水 洗发水 护发素 沐浴露 身体乳 "
     "护手霜 牙膏 漱口水 卫生巾 剃须刀片 美容仪"),
    ("food", "食品生鲜", "大米 食用油 牛奶 酸奶 坚果礼盒 咖啡豆 茶叶 月饼 粽子 车厘子 榴莲 草莓 猕猴桃 三文鱼 大闸蟹 "
     "牛排 鸡蛋 速冻水饺 方便面 零食大礼包 白酒 葡萄酒 矿泉水 蜂蜜 巧克力"),
    ("baby", "母婴童装", "婴儿奶粉 纸尿裤 湿巾 婴儿推车 安全座椅 奶瓶 吸奶器 儿童餐椅 婴儿床 儿童羽绒服 童鞋 爬行垫 "
     "儿童牙刷 辅食机 温奶器 早教机 儿童水杯"),
    ("home", "家居家装", "四件套 乳胶枕 羽绒被 毛巾 浴巾 收纳箱 晾衣架 窗帘 地毯 台灯 吸顶灯 保温杯 炒锅 刀具套装 "
     "餐具套装 智能门锁 花洒 马桶 衣柜 床垫 沙发 餐桌 书架 鞋柜"),
    ("sports", "运动户外", "跑步机 动感单车 瑜伽垫 哑铃 帐篷 睡袋 登山杖 自行车 滑板 泳衣 泳镜 羽毛球拍 乒乓球拍 篮球 "
     "足球 钓鱼竿 户外背包 护膝 跳绳 健身手套"),
    ("books", "图书文娱", "畅销小说 儿童绘本 教辅资料 考研真题 英语词典 漫画套装 电子书会员 有声书 钢笔 笔记本 画笔套装 "
     "乐高积木 拼图 桌游 演唱会门票 话剧门票"),
    ("pets", "宠物用品", "猫粮 狗粮 猫砂 冻干零食 宠物窝 牵引绳 猫爬架 宠物航空箱 驱虫药 宠物沐浴露 自动喂食器 饮水机 "
     "猫抓板 宠物尿垫"),
    ("health", "医药保健", "维生素 鱼油 蛋白粉 血压计 血糖仪 体温计 体脂秤 按摩仪 颈椎枕 口罩 创可贴 隐形眼镜 护理液 "
     "老花镜 助听器 制氧机 轮椅"),
    ("auto", "汽车用品", "行车记录仪 车载充电器 轮胎 机油 雨刮器 汽车坐垫 脚垫 车载香薰 儿童安全座椅 洗车机 充气泵 "
     "应急启动电源 车衣 导航仪"),
    ("jewelry", "珠宝首饰", "黄金项链 金手镯 钻石戒指 铂金吊坠 珍珠耳环 银手链 翡翠挂件 机械手表 石英手表 情侣对戒 "
     "足金转运珠 和田玉手串"),
    ("toys", "玩具乐器", "遥控汽车 毛绒玩具 积木 益智玩具 电子琴 吉他 尤克里里 架子鼓 口琴 儿童滑板车 水枪 手办 盲盒 "
     "模型飞机"),
    ("furniture", "家具建材", "实木床 布艺沙发 电视柜 书桌 电脑椅 升降桌 瓷砖 地板 乳胶漆 壁纸 水龙头 浴室柜 吊灯 "
     "开关插座 晾衣机 集成灶"),
]

# top-level categories: slug, title, icon, description, [(sub slug, sub title, keyword, icon)], question templates
DOMAINS = [
    ("account", "账户与安全", "material/account-circle", "注册登录、密码找回、实名认证与账户安全设置。", [
        ("register", "注册与登录", "登录", "material/account-key"),
        ("password", "密码与验证码", "重置密码", "material/lock-reset"),
        ("security", "账户安全", "账户保护", "material/shield-account"),
        ("real-name", "实名认证", "实名认证", "material/card-account-details"),
        ("address", "收货地址", "修改地址", "material/map-marker"),
        ("binding", "绑定与解绑", "解绑手机号", "material/link-variant"),
        ("close-account", "注销账户", "注销账户", "material/account-remove"),
        ("privacy", "隐私设置", "关闭个性化推荐", "material/eye-off"),
        ("devices", "登录设备", "管理登录设备", "material/devices"),
    ], [
        ("cannot", "{kw}时提示“{error}”怎么办？"),
        ("sms", "收不到{kw}的短信验证码怎么办？"),
        ("how", "在{channel}上怎么{kw}？"),
        ("abroad", "人在{abroad}，还能正常{kw}吗？"),
        ("times", "一天最多可以{kw}几次？"),
        ("others", "可以帮家人{kw}吗？"),
        ("stolen", "账户被盗后如何{kw}？"),
        ("old-phone", "旧手机号已经停用，怎么{kw}？"),
        ("effect", "{kw}之后，{asset}还在吗？"),
        ("enterprise", "企业账户如何{kw}？"),
        ("elderly", "长辈用{channel}不会{kw}，有简单的办法吗？"),
        ("wechat", "用{login_way}登录的账户怎么{kw}？"),
    ]),
    ("ordering", "购物与下单", "material/cart", "下单流程、订单修改与取消、预售、拼团和跨境商品购买须知。", [
        ("orders", "订单管理", "修改订单", "material/clipboard-list"),
        ("presale", "预售商品", "支付定金", "material/clock-fast"),
        ("cross-border", "跨境购", "购买海外商品", "material/airplane"),
        ("group-buy", "拼团", "拼团", "material/account-group"),
        ("flash-sale", "限时秒杀", "参加秒杀", "material/lightning-bolt"),
        ("stock", "库存与到货通知", "预约到货提醒", "material/package-variant"),
        ("pricing", "价格说明", "查看到手价", "material/tag-outline"),
        ("cart", "购物车", "结算购物车", "material/cart-outline"),
        ("business", "企业采购", "批量采购", "material/domain"),
        ("gifts", "赠品与礼品卡", "领取赠品", "material/gift"),
    ], [
        ("how", "{product}怎么{kw}？"),
        ("failed", "{kw}时提示“{error}”是什么原因？"),
        ("event", "{event}期间{kw}有什么限制？"),
        ("limit", "{product}每人限购几件？"),
        ("cancel", "下单后发现{product}{spec}选错了，怎么办？"),
        ("member", "{member}{kw}有额外优惠吗？"),
        ("split", "同时买{product}和{product2}，为什么被拆成了两个订单？"),
        ("region", "{province}的地址能{kw}吗？"),
        ("after-pay", "付款后还能{kw}吗？"),
        ("invoice", "{kw}的订单能开发票吗？"),
        ("price-drop", "刚买的{product}降价了怎么办？"),
        ("out-of-stock", "{product}显示“{stock_status}”是什么意思？"),
    ]),
    ("payment", "支付与结算", "material/credit-card-outline", "支付方式、分期、支付失败、余额与定金尾款说明。", [
        ("methods", "支付方式", "使用{paymethod}付款", "material/wallet"),
        ("installments", "分期付款", "分期付款", "material/credit-card-clock"),
        ("failed", "支付失败", "重新支付", "material/alert-circle"),
        ("balance", "账户余额", "使用余额", "material/cash"),
        ("bank-cards", "银行卡", "绑定银行卡", "material/bank"),
        ("cod", "货到付款", "货到付款", "material/cash-multiple"),
        ("overseas", "境外支付", "使用境外银行卡", "material/earth"),
        ("limits", "支付限额", "提高支付限额", "material/currency-cny"),
        ("deposit", "定金与尾款", "支付尾款", "material/calendar-check"),
    ], [
        ("how", "怎么{kw}？"),
        ("fail", "{kw}时提示“{error}”怎么办？"),
        ("bank", "{bank}的卡可以{kw}吗？"),
        ("double", "{paymethod}扣了两次钱怎么办？"),
        ("fee", "{kw}收手续费吗？"),
        ("limit", "用{paymethod}支付{amount}元以上的订单为什么失败？"),
        ("change", "下单后可以改用{paymethod2}吗？"),
        ("product", "购买{product}能{kw}吗？"),
        ("period", "{kw}的订单最晚什么时候付款？"),
        ("refund", "用{paymethod}付的钱，退款退到哪里？"),
        ("company", "企业对公转账如何{kw}？"),
    ]),
    ("shipping", "配送与物流", "material/truck-delivery", "物流查询、配送时效、运费、自提与大件配送。", [
        ("tracking", "物流查询", "查物流", "material/map-search"),
        ("delivery-time", "配送时效", "加急配送", "material/truck-fast"),
        ("fees", "运费说明", "免运费", "material/currency-usd"),
        ("remote-areas", "偏远地区", "配送到偏远地区", "material/home-map-marker"),
        ("pickup", "自提点", "到自提点取件", "material/store"),
        ("lockers", "快递柜", "从快递柜取件", "material/locker"),
        ("couriers", "快递公司", "指定快递公司", "material/package-variant-closed"),
        ("large-items", "大件配送", "预约送货上门", "material/truck-delivery"),
        ("cold-chain", "冷链配送", "冷链配送", "material/snowflake"),
        ("overseas", "海外配送", "寄到海外", "material/earth"),
    ], [
        ("how-long", "{product}下单后多久能送到{city}？"),
        ("courier", "{courier}显示已签收但没收到货怎么办？"),
        ("stuck", "物流好几天没更新，可以{kw}吗？"),
        ("fee", "{city}{kw}的条件是什么？"),
        ("time", "可以指定{weekday}{kw}吗？"),
        ("event", "{event}期间{kw}会延迟吗？"),
        ("weather", "{weather}天气会影响{kw}吗？"),
        ("change", "已经发货的{product}能改成{kw}吗？"),
        ("split", "为什么{product}和{product2}分开送？"),
        ("reject", "{courier}送货时可以先验货再签收吗？"),
        ("how", "{product}支持{kw}吗？"),
    ]),
    ("after-sales", "售后服务", "material/cash-refund", "退货、换货、退款、维修保修、价格保护与投诉。", [
        ("returns", "退货", "退货", "material/keyboard-return"),
        ("exchanges", "换货", "换货", "material/swap-horizontal"),
        ("refunds", "退款", "退款", "material/cash-refund"),
        ("repairs", "维修与保修", "申请保修", "material/wrench"),
        ("price-protection", "价格保护", "申请价保", "material/scale-balance"),
        ("complaints", "投诉与建议", "投诉", "material/message-alert"),
        ("damaged", "破损与漏发", "申请破损理赔", "material/package-variant-remove"),
        ("seven-day", "七天无理由", "七天无理由退货", "material/calendar-week"),
        ("installation", "安装服务", "预约安装", "material/tools"),
        ("trade-in", "以旧换新", "以旧换新", "material/recycle"),
    ], [
        ("conditions", "{product}{kw}需要满足什么条件？"),
        ("how-long", "{kw}申请提交后多久处理？"),
        ("problem", "收到的{product}{problem}，可以{kw}吗？"),
        ("event", "{event}买的{product}可以{kw}吗？"),
        ("rejected", "{kw}申请被驳回了怎么办？"),
        ("shipping-fee", "{kw}的运费由谁承担？"),
        ("progress", "在哪里查看{kw}进度？"),
        ("opened", "{product}拆封了还能{kw}吗？"),
        ("gift", "订单里的赠品没寄回，影响{kw}吗？"),
        ("paymethod", "用{paymethod}付款的订单{kw}后钱退到哪里？"),
        ("member", "{member}{kw}有什么专属权益？"),
        ("deadline", "签收超过{days}天还能{kw}吗？"),
        ("courier", "{kw}时可以让{courier}上门取件吗？"),
    ]),
    ("membership", "会员与优惠", "material/crown", "会员等级、积分、Plus 会员、优惠券、红包与促销活动。", [
        ("levels", "会员等级", "升级会员等级", "material/star-circle"),
        ("points", "积分", "使用积分", "material/star"),
        ("plus", "Plus会员", "开通Plus会员", "material/crown"),
        ("coupons", "优惠券", "使用优惠券", "material/ticket-percent"),
        ("red-packets", "红包", "使用红包", "material/wallet-giftcard"),
        ("promotions", "促销活动", "参加满减", "material/sale"),
        ("check-in", "签到与任务", "领取签到奖励", "material/calendar-check"),
        ("birthday", "生日礼遇", "领取生日礼包", "material/cake-variant"),
        ("referral", "邀请有礼", "邀请好友", "material/account-multiple-plus"),
        ("member-day", "会员日", "参加会员日活动", "material/calendar-star"),
    ], [
        ("how", "怎么{kw}？"),
        ("product", "买{product}可以{kw}吗？"),
        ("event", "{event}能同时{kw}和用优惠券吗？"),
        ("expire", "{kw}有有效期吗？过期了怎么办？"),
        ("refund", "订单退款后，{kw}获得的权益会退回吗？"),
        ("level", "{member}每个月可以{kw}几次？"),
        ("not-shown", "为什么在{channel}里无法{kw}？"),
        ("transfer", "{kw}的权益可以转给家人吗？"),
        ("threshold", "满{amount}元才能{kw}吗？"),
        ("cross", "{kw}和{paymethod}立减能叠加吗？"),
        ("rules", "{kw}的规则是什么？"),
    ]),
    ("invoice", "发票与报销", "material/receipt-text", "电子发票、增值税专用发票、发票抬头与企业报销。", [
        ("e-invoice", "电子发票", "下载电子发票", "material/file-document-outline"),
        ("vat", "增值税专用发票", "开具专用发票", "material/file-certificate"),
        ("title", "发票抬头", "修改发票抬头", "material/card-text"),
        ("reissue", "补开与换开", "换开发票", "material/file-replace"),
        ("reimbursement", "企业报销", "报销", "material/briefcase-outline"),
        ("tax", "税费说明", "查看税费", "material/calculator"),
    ], [
        ("how", "怎么{kw}？"),
        ("product", "购买{product}可以{kw}吗？"),
        ("when", "确认收货多久后可以{kw}？"),
        ("error", "{kw}时提示“{error}”怎么办？"),
        ("third", "第三方店铺的订单怎么{kw}？"),
        ("return", "退货后发票需要寄回吗？"),
        ("paper", "{kw}能寄纸质版到{city}吗？"),
        ("company", "{company_type}如何{kw}？"),
        ("deadline", "超过{days}天还能{kw}吗？"),
        ("amount", "使用优惠券的订单，{kw}金额怎么算？"),
    ]),
    ("merchants", "商家与店铺", "material/storefront", "第三方店铺、品牌旗舰店、正品保障与商家客服。", [
        ("third-party", "第三方店铺", "联系第三方商家", "material/store"),
        ("flagship", "品牌旗舰店", "认证官方旗舰店", "material/shopping"),
        ("authenticity", "正品保障", "鉴定真伪", "material/check-decagram"),
        ("seller-service", "商家客服", "联系商家客服", "material/message-text"),
        ("ratings", "店铺评分与评价", "修改评价", "material/thumb-up"),
        ("self-operated", "自营商品", "识别自营商品", "material/storefront"),
    ], [
        ("how", "怎么{kw}？"),
        ("product", "在店铺买的{product}，怎么{kw}？"),
        ("reply", "商家{hours}小时没回复怎么办？"),
        ("fake", "怀疑收到的{product}是假货，怎么{kw}？"),
        ("dispute", "和商家协商不成，平台可以介入吗？"),
        ("event", "{event}期间店铺发货慢怎么办？"),
        ("review", "评价{product}时可以上传视频吗？"),
        ("invoice", "第三方店铺的{product}谁来开发票？"),
        ("closed", "店铺关闭了，已买的{product}还能售后吗？"),
    ]),
    ("app", "App 与小程序", "material/cellphone", "下载安装、消息通知、小程序、版本更新与常见报错。", [
        ("install", "下载与安装", "安装App", "material/cellphone-arrow-down"),
        ("notifications", "消息通知", "关闭消息推送", "material/bell-ring"),
        ("mini-program", "小程序", "使用小程序", "material/apps"),
        ("updates", "版本更新", "更新App", "material/update"),
        ("accessibility", "长辈模式与无障碍", "开启长辈模式", "material/human-handsup"),
        ("errors", "常见报错", "清除缓存", "material/alert"),
    ], [
        ("how", "在{device}上怎么{kw}？"),
        ("error", "打开App提示“{error}”怎么办？"),
        ("version", "{device}系统版本太旧，还能{kw}吗？"),
        ("sync", "{channel}和App的订单是同步的吗？"),
        ("storage", "App占用空间太大，可以{kw}吗？"),
        ("dark", "App支持深色模式吗？"),
        ("language", "App可以切换成{language}吗？"),
        ("slow", "{device}上App打开很慢怎么办？"),
    ]),
    ("services", "增值服务", "material/shield-check", "运费险、延保、回收、定制刻字与礼品包装。", [
        ("insurance", "运费险", "购买运费险", "material/umbrella"),
        ("warranty", "延保服务", "购买延保", "material/shield-plus-outline"),
        ("recycling", "回收服务", "预约回收", "material/recycle"),
        ("engraving", "定制与刻字", "定制刻字", "material/palette"),
        ("gift-wrap", "礼品包装", "选择礼品包装", "material/gift-outline"),
        ("price-match", "比价服务", "申请比价", "material/compare-horizontal"),
    ], [
        ("how", "{product}怎么{kw}？"),
        ("fee", "{kw}要多少钱？"),
        ("claim", "{kw}后怎么理赔？"),
        ("event", "{event}期间可以{kw}吗？"),
        ("cancel", "{kw}后可以取消吗？"),
        ("member", "{member}{kw}有折扣吗？"),
        ("region", "{city}支持{kw}吗？"),
        ("after-return", "退货后{kw}的费用会退吗？"),
    ]),
]

WORDS = {
    "error": "账户不存在 验证码已失效 操作过于频繁 网络异常 系统繁忙 请先完成实名认证 库存不足 商品已下架 超出购买限制 "
             "当前地址不支持配送 优惠券不可用 支付超时 银行卡余额不足 交易存在风险 订单状态已变更 签名校验失败 "
             "登录状态已过期 设备存在异常 发票信息不完整 服务暂不可用".split(),
    "channel": "App 小程序 网页版 平板端 电视端 智能音箱".split(),
    "login_way": "微信 QQ 微博 Apple账号 支付宝 短信验证码".split(),
    "abroad": "日本 美国 新加坡 马来西亚 澳大利亚 英国 德国 加拿大 韩国 泰国 法国 新西兰".split(),
    "asset": "积分 余额 优惠券 订单记录 会员等级 礼品卡 收货地址 发票信息".split(),
    "event": "618年中大促 双11 双12 年货节 女王节 开学季 中秋节 国庆黄金周 黑色星期五 周年庆 超级品牌日 新人专享 "
             "限时秒杀 清仓特卖 春季焕新 家装节 情人节 母亲节 父亲节 儿童节".split(),
    "member": "普通会员 银卡会员 金卡会员 铂金会员 钻石会员 Plus会员 企业会员 学生会员".split(),
    "spec": "颜色 尺码 型号 规格 口味 容量 版本 套餐".split(),
    "province": "新疆 西藏 青海 内蒙古 海南 宁夏 甘肃 云南 贵州 黑龙江 广西 吉林 香港 澳门 台湾".split(),
    "stock_status": "暂时缺货 预约中 即将开售 仅剩少量 无货 区域限售 到货通知 可预订".split(),
    "paymethod": "微信支付 支付宝 云闪付 银行卡快捷支付 信用卡 花呗 白条 余额 礼品卡 数字人民币 ApplePay PayPal".split(),
    "bank": "工商银行 建设银行 农业银行 中国银行 交通银行 招商银行 浦发银行 中信银行 光大银行 民生银行 兴业银行 "
            "平安银行 华夏银行 广发银行 邮储银行 北京银行 上海银行 宁波银行".split(),
    "amount": "50 99 199 299 500 1000 2000 5000 10000 20000 50000".split(),
    "city": "北京 上海 广州 深圳 杭州 南京 成都 重庆 武汉 西安 天津 苏州 长沙 郑州 青岛 沈阳 大连 厦门 福州 济南 "
            "合肥 昆明 南宁 贵阳 哈尔滨 长春 石家庄 太原 呼和浩特 兰州 西宁 银川 乌鲁木齐 拉萨 海口 三亚 南昌 "
            "宁波 无锡 佛山 东莞 珠海 温州 泉州 烟台 洛阳 桂林 丽江 喀什 漠河".split(),
    "courier": "顺丰速运 京东物流 中通快递 圆通速递 申通快递 韵达快递 中国邮政 EMS 极兔速递 德邦快递 菜鸟驿站 "
               "丰网速运 跨越速运".split(),
    "weekday": "周一 周二 周三 周四 周五 周六 周日 工作日 节假日 晚上".split(),
    "weather": "暴雨 台风 大雪 冰冻 高温 沙尘 大雾".split(),
    "problem": "无法开机 屏幕有划痕 尺码偏小 颜色有色差 有异味 漏液 缺少配件 外包装破损 临近保质期 充电发烫 掉色 "
               "开线 起球 按键失灵 噪音很大 漏水 变形 有污渍 少发了一件 发错了型号 已经变质 不制冷".split(),
    "days": "7 15 30 60 90 180 365".split(),
    "hours": "12 24 48 72".split(),
    "device": "iPhone 安卓手机 华为手机 小米手机 iPad 鸿蒙系统 平板电脑 车机".split(),
    "language": "英文 繁体中文 日文 韩文 维吾尔文 藏文".split(),
    "company_type": "个体工商户 小规模纳税人 一般纳税人 事业单位 社会团体 外资企业".split(),
}

WORDS["city"] += ("邯郸 保定 唐山 秦皇岛 张家口 大同 临汾 包头 鄂尔多斯 赤峰 鞍山 抚顺 锦州 丹东 吉林市 延边 齐齐哈尔 "
                  "牡丹江 大庆 徐州 常州 南通 扬州 镇江 盐城 连云港 嘉兴 湖州 绍兴 金华 台州 舟山 芜湖 蚌埠 阜阳 "
                  "安庆 黄山 漳州 莆田 龙岩 九江 赣州 景德镇 上饶 淄博 潍坊 临沂 济宁 威海 日照 开封 南阳 新乡 "
                  "许昌 宜昌 襄阳 荆州 十堰 株洲 湘潭 衡阳 岳阳 常德 张家界 汕头 湛江 江门 惠州 中山 肇庆 "
                  "北海 柳州 玉林 绵阳 宜宾 泸州 南充 乐山 遵义 大理 西双版纳 曲靖 宝鸡 咸阳 延安 汉中 天水 "
                  "敦煌 格尔木 石嘴山 伊犁 阿克苏 库尔勒 日喀则 林芝 儋州").split()
WORDS["error"] += ("参数错误 页面加载失败 实名信息不一致 收货人信息有误 身份证号格式不正确 该商品不支持七天无理由 "
                   "超出售后期限 订单已完成无法修改 余额冻结中 暂不支持该支付方式").split()
MODIFIERS = ("加厚 轻薄 便携式 大容量 迷你 无线 智能 儿童款 男士 女士 情侣款 家用 商用 进口 国产 有机 低糖 无糖 高端 "
             "入门级 旗舰款 新款 经典款 限量版 联名款 定制款 复古 北欧风 简约 防水 防摔 静音 节能 变频 一级能效 大号 "
             "小号 加长 折叠 多功能 全自动 电动 充电式 户外 车载 学生 办公 旅行装 家庭装 礼盒装 试用装 组合装 "
             "二手 官方翻新 样机 清仓款 加大码 婴幼儿 老年人 专业级 电竞 高清 超薄 抗菌 速干 保暖 透气").split()
BRAND_CHARS = ("华美优品悦尚康乐佳宜然泰安欣瑞祥和福瑞凯达信诚益源丰盛博雅星辰海蓝山川云岭青禾初见拾光"
               "知行木子田野新月朗润启明鼎鑫铭宸恒远嘉禾沐阳晨曦锦绣立方极简万象森林小熊花样米粒橙子柚子")
ENTRY_POINTS = "我的订单 售后服务 账户设置 会员中心 我的钱包 发票中心 客户服务 地址管理 安全中心 消息中心 优惠券包 积分商城 " \
               "我的权益 服务记录 退换货记录 设置 帮助中心".split()
BUTTONS = "申请售后 提交申请 确认收货 查看物流 修改 取消订单 去支付 联系客服 申请开票 一键登录 立即领取 保存".split()
REASONS = "尺码不合适 质量问题 商品与描述不符 发错货 少件漏发 不想要了 颜色不喜欢 物流太慢 包装破损 价格变动 " \
          "重复下单 地址填错".split()
EVIDENCE = "商品照片 外包装照片 快递面单照片 开箱视频 检测报告 购物凭证 聊天记录截图 身份证明".split()
ROLES = "售后专员 仓库 商家 质检人员 财务 风控团队 客服主管".split()
WAREHOUSES = "华北仓 华东仓 华南仓 西南仓 华中仓 东北仓 西北仓 保税仓".split()
DOCUMENTS = "身份证 营业执照 税务登记证 开户许可证 授权委托书 护照 港澳通行证".split()
TAGS_EXTRA = "新手必读 高频 规则 时效 费用 流程 特殊情况 活动 政策 安全".split()

OPENINGS = [
    "{kw}可以在「{entry}」中自助办理。",
    "您好，{product}属于{pc}类商品，{kw}需要满足以下条件。",
    "一般情况下，{kw}的申请会在 **{n} 个工作日**内处理完毕。",
    "为了保障您的权益，{kw}前请先确认订单状态。",
    "{event}期间订单量较大，{kw}的处理时间可能比平时稍长。",
    "可以的。{member}在{kw}时享有优先处理。",
    "如果{kw}时遇到问题，请先检查网络和{channel}版本是否为最新。",
    "目前{city}等大部分城市都支持{kw}，少数偏远地区除外。",
    "{kw}不收取任何手续费，费用以结算页显示为准。",
    "使用{paymethod}付款的订单，{kw}后款项会原路退回。",
    "这种情况通常是因为{reason}导致的，您可以按下面的方法处理。",
    "收到{product}后如发现{problem}，请在签收后 **{days} 天**内联系我们。",
]
STEPS = [
    "打开{channel}，进入「我的」→「{entry}」",
    "找到对应订单，点击「{button}」",
    "选择原因“{reason}”，并上传{evidence}",
    "填写{field}后点击「提交」",
    "等待{role}审核，一般 **{hours} 小时**内会有结果",
    "按页面提示将商品寄回{warehouse}，并填写快递单号",
    "审核通过后，系统会通过短信和{channel}消息通知您",
    "在「服务记录」中随时查看处理进度",
    "准备好{document}照片，按提示完成验证",
    "选择{courier}上门取件的时间段",
    "核对金额无误后，点击「{button}」确认",
]
FIELDS = "收货人姓名 手机号码 详细地址 发票抬头 纳税人识别号 银行卡号 问题描述 联系邮箱".split()
BULLETS = [
    "**{cond}**：{detail}",
    "**{pc}类商品**：{detail}",
    "**{member}**：可享{benefit}",
    "**{paymethod}**：{refund_time}",
    "**{courier}**：{detail}",
]
CONDITIONS = "商品完好 配件齐全 吊牌未拆 发票齐全 在有效期内 包装完整 未经使用 未经人为损坏 已激活 未激活".split()
DETAILS = [
    "不影响二次销售即可办理",
    "需保留原包装和全部配件",
    "需提供有效的购物凭证",
    "以质检结果为准",
    "部分特殊商品除外，以商品详情页说明为准",
    "审核通过后 **{n} 个工作日**内完成",
    "超出时限后将无法在线申请",
    "需由本人操作，不支持代办",
    "同一订单只能申请 **{n} 次**",
    "满 **{amount} 元**免运费",
    "由平台承担往返运费",
    "需要先与商家协商一致",
]
BENEFITS = "免费上门取件 极速退款 专属客服 运费补贴 双倍积分 优先发货 免费延保 生日礼包 专属折扣".split()
REFUND_TIMES = [
    "退款 **即时到账**",
    "退款 **1-3 个工作日**到账",
    "退款 **3-7 个工作日**到账，以银行处理为准",
    "退款退回原账户，**当天**到账",
    "退款原路返回，最长不超过 **{days} 天**",
]
NOTES = [
    "如有疑问，请联系在线客服。",
    "温馨提示：请勿轻信陌生来电，我们不会以任何理由要求您转账。",
    "客服热线：400-800-1234（每天 9:00–22:00）。",
    "具体以订单详情页的说明为准。",
    "{event}期间规则可能调整，请以活动页为准。",
    "如超过时限仍未处理，可在「{entry}」中催办。",
    "部分{pc}商品因特殊性质，不支持此项服务。",
    "处理结果会同步发送到您绑定的手机号。",
    "{city}地区由{courier}负责配送。",
    "此规则自 {year} 年 {month} 月起执行。",
]
LINK_SENTENCES = [
    "更多说明请看[[{id}]]。",
    "相关规则见[[{id}|{text}]]。",
    "如果是其他情况，可以参考[[{id}]]。",
    "办理前建议先阅读[[{id}|{text}]]。",
]
LINK_TEXTS = "这篇说明 具体规则 详细步骤 费用标准 常见问题 办理指南 时效说明".split()
ALIAS_TEMPLATES = [
    "{product}怎么{kw}", "{kw}流程", "{kw}怎么弄", "怎样{kw}", "{kw}要多久", "{product}能不能{kw}",
    "{kw}攻略", "我想{kw}", "{kw}不成功", "{kw}在哪里操作", "{product}{kw}规则", "如何{kw}",
    "{kw}失败", "{kw}的条件", "{kw}收费吗", "{kw}入口",
]

SYNONYMS = [
    ["退款", "退钱", "返款", "退费"], ["退货", "退回", "退掉", "退件"], ["换货", "调换", "更换", "换一个"],
    ["维修", "修理", "保修", "报修", "质保"], ["发票", "开票", "票据"], ["快递", "物流", "包裹", "快件"],
    ["会员", "VIP"], ["Plus会员", "付费会员", "超级会员"], ["优惠券", "折扣券", "代金券", "券"],
    ["红包", "现金红包"], ["积分", "积分值", "点数"], ["余额", "账户余额", "零钱"],
    ["登录", "登陆", "登入"], ["密码", "登录密码", "口令"], ["验证码", "短信码", "校验码"],
    ["注销", "销户", "删除账号"], ["实名认证", "实名", "身份认证"], ["地址", "收货地址", "收件地址"],
    ["取消订单", "撤单", "不要了"], ["修改订单", "改订单", "订单修改"], ["预售", "预订", "预购"],
    ["秒杀", "抢购", "限时抢"], ["拼团", "团购", "拼单"], ["缺货", "无货", "断货", "没货"],
    ["付款", "支付", "买单", "结账"], ["分期", "分期付款", "分期购"], ["信用卡", "贷记卡"],
    ["银行卡", "储蓄卡", "借记卡"], ["货到付款", "到付", "送货上门付款"], ["定金", "订金", "预付款"],
    ["尾款", "余款"], ["运费", "邮费", "快递费", "配送费"], ["签收", "收货", "确认收货"],
    ["自提", "自取", "门店自提"], ["快递柜", "丰巢", "智能柜"], ["送货上门", "送上楼", "上门配送"],
    ["价格保护", "价保", "保价"], ["投诉", "举报", "反馈问题"], ["破损", "摔坏", "压坏", "损坏"],
    ["漏发", "少发", "缺件"], ["七天无理由", "7天无理由", "无理由退货"], ["安装", "装机", "上门安装"],
    ["以旧换新", "旧换新", "置换"], ["正品", "真货", "行货"], ["假货", "仿品", "山寨"],
    ["客服", "人工客服", "在线客服", "人工"], ["App", "客户端", "手机软件"], ["小程序", "微信小程序"],
    ["运费险", "退货险", "退换货运费险"], ["延保", "延长保修"], ["回收", "旧物回收", "以旧回收"],
    ["刻字", "定制", "个性定制"], ["礼品包装", "礼盒包装", "包装成礼物"], ["手机", "手机号", "电话号码"],
]


# --------------------------------------------------------------------------------------------
# The generated tree
# --------------------------------------------------------------------------------------------

@dataclass
class GenEntry:
    id: str
    question: str
    answer: str
    frequency: int
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    updated: dt.date | None = None


@dataclass
class GenFile:
    name: str
    entries: list[GenEntry] = field(default_factory=list)


@dataclass
class GenCategory:
    path: tuple[str, ...]
    title: str
    description: str
    icon: str | None
    order: int | None
    domain: int  # index into DOMAINS
    sub: int | None = None  # index into the domain's sub-topics
    product_category: int | None = None  # index into PRODUCT_CATEGORIES
    children: list[GenCategory] = field(default_factory=list)
    files: list[GenFile] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def entries(self) -> list[GenEntry]:
        return [e for f in self.files for e in f.entries]


@dataclass
class GenTree:
    categories: list[GenCategory]
    synonyms: list[list[str]]

    def walk(self):
        for category in self.categories:
            yield from category.walk()

    @property
    def entries(self) -> list[GenEntry]:
        return [e for c in self.walk() for e in c.entries]

    def describe(self) -> str:
        """One line for a benchmark's report: questions, files, categories and levels."""
        categories = list(self.walk())
        return (f"{len(self.entries):,} questions in {sum(len(c.files) for c in categories)} files, "
                f"{len(categories)} categories ({len(self.categories)} top-level, "
                f"{max(len(c.path) for c in categories)} levels)")

# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

FILE_STEMS = ["common", "basics", "policies", "troubleshooting", "how-to", "fees", "timing", "special-cases",
              "rules", "more", "events", "faq"]
DESCRIPTION_TAILS = ["的办理流程、条件与时效说明。", "相关的常见问题与处理方法。", "的规则、费用和注意事项。",
                     "：常见情况与解决办法。", "的操作指南和常见疑问。"]


def _split_sizes(rng: random.Random, total: int, parts_min: int) -> list[int]:
    """Sizes of entry files: 20-80 entries each, at least `parts_min` files."""
    sizes = []
    remaining = total
    while remaining > 80:
        size = rng.randint(20, 80)
        if remaining - size < 20:
            size = remaining - 20
        sizes.append(size)
        remaining -= size
    if remaining:
        sizes.append(remaining)
    if len(sizes) < parts_min:  # small trees: spread evenly over enough files
        base, extra = divmod(total, parts_min)
        sizes = [base + (1 if i < extra else 0) for i in range(parts_min)]
        rng.shuffle(sizes)
    return sizes


def _build_categories(rng: random.Random, questions: int) -> list[GenCategory]:
    top_count = min(len(DOMAINS), 6 + min(4, questions // 3000))
    domain_indexes = sorted(rng.sample(range(len(DOMAINS)), top_count))
    file_sizes = _split_sizes(rng, questions, 1)
    folder_target = max(top_count + 4, round(len(file_sizes) / 1.5))
    if len(file_sizes) < folder_target:
        file_sizes = _split_sizes(rng, questions, folder_target)
    if questions < folder_target:
        raise ValueError(f"a tree needs at least {folder_target} questions")

    tops = []
    for order, index in enumerate(domain_indexes, 1):
        slug, title, icon, description, _, _ = DOMAINS[index]
        tops.append(GenCategory((slug,), title, description, icon, order, index))
    folders: list[GenCategory] = list(tops)
    while len(folders) < folder_target:
        candidates, weights = [], []
        for folder in folders:
            if len(folder.path) >= MAX_FOLDER_DEPTH:
                continue
            if len(folder.path) == 1:
                free = len(DOMAINS[folder.domain][4]) - len(folder.children)
                weight = 4
            else:
                free = len(PRODUCT_CATEGORIES) - len(folder.children)
                weight = 1
            if free > 0:
                candidates.append(folder)
                weights.append(weight)
        if not candidates:
            break
        parent = rng.choices(candidates, weights)[0]
        used = {c.path[-1] for c in parent.children}
        if len(parent.path) == 1:
            subs = DOMAINS[parent.domain][4]
            sub = rng.choice([i for i, s in enumerate(subs) if s[0] not in used])
            slug, title, _, icon = subs[sub]
            child = GenCategory(parent.path + (slug,), title,
                                title + rng.choice(DESCRIPTION_TAILS), icon,
                                rng.choice([None, None, len(parent.children) + 1]), parent.domain, sub)
        else:
            pc = rng.choice([i for i, p in enumerate(PRODUCT_CATEGORIES) if p[0] not in used])
            pc_slug, pc_title, _ = PRODUCT_CATEGORIES[pc]
            sub_title = DOMAINS[parent.domain][4][parent.sub][1]
            title = f"{pc_title}{sub_title}"
            child = GenCategory(parent.path + (pc_slug,), title, title + rng.choice(DESCRIPTION_TAILS),
                                rng.choice([None, parent.icon]), None, parent.domain, parent.sub, pc)
        parent.children.append(child)
        folders.append(child)
    for folder in folders:
        folder.children.sort(key=lambda c: c.path)

    # every folder gets one file, the rest go to random folders (leaves a bit more often)
    order = list(folders)
    rng.shuffle(order)
    assignment = order[: len(file_sizes)]
    weights = [1 if f.children else 2 for f in folders]
    assignment += rng.choices(folders, weights, k=len(file_sizes) - len(assignment))
    for folder, size in zip(assignment, file_sizes):
        used = {f.name for f in folder.files}
        free = [s for s in FILE_STEMS if f"{s}.yml" not in used] or [f"more-{len(used) + 1}"]
        stem = folder.path[-1] if not folder.files else rng.choice(free)
        folder.files.append(GenFile(f"{stem}.yml", [None] * size))  # filled in later
    return tops


def _fill(template: str, slots: dict) -> str:
    return template.format(**slots)


def _slots(rng: random.Random, category: GenCategory) -> dict:
    domain = DOMAINS[category.domain]
    if category.sub is not None:
        sub = domain[4][category.sub]
    else:
        sub = rng.choice(domain[4])
    pc = category.product_category if category.product_category is not None else rng.randrange(len(PRODUCT_CATEGORIES))
    products = PRODUCT_CATEGORIES[pc][2].split()
    product, product2 = rng.sample(products, 2)
    roll = rng.random()
    if roll < 0.35:
        product = rng.choice(MODIFIERS) + product
    elif roll < 0.5:
        product = _brand(rng) + product
    slots = {name: rng.choice(words) for name, words in WORDS.items()}
    slots.update(
        product=product, product2=product2, pc=PRODUCT_CATEGORIES[pc][1],
        paymethod2=rng.choice([p for p in WORDS["paymethod"] if p != slots["paymethod"]]),
        entry=rng.choice(ENTRY_POINTS), button=rng.choice(BUTTONS), reason=rng.choice(REASONS),
        evidence=rng.choice(EVIDENCE), role=rng.choice(ROLES), warehouse=rng.choice(WAREHOUSES),
        document=rng.choice(DOCUMENTS), field=rng.choice(FIELDS), n=rng.choice([1, 2, 3, 5, 7, 10, 15]),
        year=rng.choice([2024, 2025, 2026]), month=rng.randint(1, 12),
    )
    slots["kw"] = _fill(sub[2], slots)  # a keyword may itself hold a slot, e.g. "使用{paymethod}付款"
    slots["sub_slug"] = sub[0]
    slots["sub_title"] = sub[1]
    return slots


_BRANDS: dict[int, str] = {}


def _brand(rng: random.Random) -> str:
    """One of 300 shop brands, made of two-character names (stable for the process)."""
    if not _BRANDS:
        brand_rng = random.Random("faqkb-brands")
        while len(_BRANDS) < 300:
            name = "".join(brand_rng.sample(BRAND_CHARS, 2))
            if name not in _BRANDS.values():
                _BRANDS[len(_BRANDS)] = name
    return _BRANDS[rng.randrange(len(_BRANDS))]


def _answer(rng: random.Random, slots: dict) -> str:
    """Markdown answer of 60-400 characters: opening, a list or paragraph, a note."""
    def body() -> list[str]:
        kind = rng.random()
        if kind < 0.4:
            steps = sorted(rng.sample(STEPS, rng.randint(2, 5)), key=STEPS.index)  # keep the steps in a sensible order
            return ["\n".join(f"{i}. {_fill(s, slots)}；" for i, s in enumerate(steps, 1))]
        if kind < 0.75:
            lines = []
            for template in rng.sample(BULLETS, rng.randint(2, 3)):
                local = dict(slots, cond=rng.choice(CONDITIONS), detail=_fill(rng.choice(DETAILS), slots),
                             benefit=rng.choice(BENEFITS), refund_time=_fill(rng.choice(REFUND_TIMES), slots),
                             pc=rng.choice(PRODUCT_CATEGORIES)[1], member=rng.choice(WORDS["member"]),
                             paymethod=rng.choice(WORDS["paymethod"]), courier=rng.choice(WORDS["courier"]))
                lines.append("- " + _fill(template, local) + "；")
            return ["\n".join(lines)]
        detail = _fill(rng.choice(DETAILS), slots)
        return [f"{slots['kw']}时请注意：{detail}，{_fill(rng.choice(DETAILS), slots)}。"]

    parts = [_fill(rng.choice(OPENINGS), slots)] + body()
    if rng.random() < 0.35:
        parts += body()
    if rng.random() < 0.4:
        parts.append(_fill(rng.choice(OPENINGS), dict(slots, product=slots["product2"])))
    if rng.random() < 0.7:
        parts.append(_fill(rng.choice(NOTES), slots))
    text = "\n\n".join(parts)
    while len(text) > 400 - 40 and len(parts) > 2:  # leave room for an inline link sentence
        parts.pop()
        text = "\n\n".join(parts)
    if len(text) > 360:
        text = text[:359].rsplit("\n", 1)[0]
    while len(text) < 60:
        text += "\n\n" + _fill(rng.choice(NOTES), slots)
    return text


def _alias_candidates(rng: random.Random, slots: dict, question: str) -> list[str]:
    count = rng.randint(1, 4)
    aliases: list[str] = []
    for template in rng.sample(ALIAS_TEMPLATES, len(ALIAS_TEMPLATES)):
        alias = _fill(template, slots)
        if alias != question and alias not in aliases:
            aliases.append(alias)
        if len(aliases) == count:
            break
    return aliases


def generate(questions: int = 10000, seed: int = 1) -> GenTree:
    """The whole tree in memory, deterministic for (questions, seed)."""
    rng = random.Random(f"faqkb-gen-tree:{seed}")
    tops = _build_categories(rng, questions)
    tree = GenTree(tops, [list(g) for g in SYNONYMS])

    # ranks for a Zipf-like long tail over the whole site
    ranks = list(range(1, questions + 1))
    rng.shuffle(ranks)
    rank_iter = iter(ranks)

    seen_questions: set[str] = set()
    id_counts: dict[str, int] = {}
    by_folder: list[tuple[GenCategory, GenEntry]] = []
    for category in tree.walk():
        templates = DOMAINS[category.domain][5]
        for gen_file in category.files:
            entries = []
            for _ in gen_file.entries:
                for attempt in range(50):
                    slots = _slots(rng, category)
                    template_slug, template = rng.choice(templates)
                    question = _fill(template, slots)
                    if question not in seen_questions:
                        break
                seen_questions.add(question)
                base = f"{slots['sub_slug']}-{template_slug}"
                id_counts[base] = id_counts.get(base, 0) + 1
                entry_id = base if id_counts[base] == 1 else f"{base}-{id_counts[base]}"
                rank = next(rank_iter)
                frequency = int(60000 / rank * rng.uniform(0.7, 1.3))
                entry = GenEntry(entry_id, question, _answer(rng, slots), frequency)
                if rng.random() < 0.4:
                    entry.aliases = _alias_candidates(rng, slots, question)
                tag_pool = [slots["sub_title"], slots["pc"], slots["kw"]] + TAGS_EXTRA
                entry.tags = list(dict.fromkeys(rng.sample(tag_pool, rng.randint(1, 3))))
                if rng.random() < 0.75:
                    entry.updated = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 640))
                entries.append(entry)
                by_folder.append((category, entry))
            gen_file.entries = entries

    # cross links: ~30% with `related`, ~12% with an inline [[id]] in the answer
    all_entries = [e for _, e in by_folder]
    for category, entry in by_folder:
        local = [e for e in category.entries if e is not entry]
        if rng.random() < 0.3:
            wanted = rng.randint(1, 3)
            related: list[str] = []
            for _ in range(wanted * 3):
                pool = local if local and rng.random() < 0.7 else all_entries
                target = rng.choice(pool)
                if target is not entry and target.id not in related:
                    related.append(target.id)
                if len(related) == wanted:
                    break
            entry.related = related
        if rng.random() < 0.12:
            target = rng.choice(local or all_entries)
            if target is not entry:
                sentence = rng.choice(LINK_SENTENCES).format(id=target.id, text=rng.choice(LINK_TEXTS))
                entry.answer += "\n\n" + sentence

    for category in tree.walk():
        for gen_file in category.files:
            gen_file.entries.sort(key=lambda e: -e.frequency)
    return tree


# --------------------------------------------------------------------------------------------
# Writing YAML (by hand, as staff would write it)
# --------------------------------------------------------------------------------------------

_PLAIN_UNSAFE = re.compile(r"""[:#\[\]{},&*!|>'"%@`]|^[-?\s]|\s$|^[0-9.+-]|^(?:y|n|yes|no|on|off|true|false|null|~)$""",
                           re.IGNORECASE)


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar: plain where that reads back as the same string, else double-quoted."""
    return json.dumps(text, ensure_ascii=False) if _PLAIN_UNSAFE.search(text) else text


def yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(yaml_scalar(i) for i in items) + "]"


def entry_yaml(entry: GenEntry) -> str:
    lines = [f"- id: {entry.id}", f"  question: {yaml_scalar(entry.question)}", "  answer: |"]
    lines += [f"    {line}" if line else "" for line in entry.answer.split("\n")]
    lines.append(f"  frequency: {entry.frequency}")
    if entry.aliases:
        lines.append(f"  aliases: {yaml_list(entry.aliases)}")
    if entry.related:
        lines.append(f"  related: {yaml_list(entry.related)}")
    if entry.tags:
        lines.append(f"  tags: {yaml_list(entry.tags)}")
    if entry.updated:
        lines.append(f"  updated: {entry.updated.isoformat()}")
    return "\n".join(lines) + "\n"


def category_yaml(category: GenCategory) -> str:
    lines = [f"title: {yaml_scalar(category.title)}", f"description: {yaml_scalar(category.description)}"]
    if category.icon:
        lines.append(f"icon: {category.icon}")
    if category.order is not None:
        lines.append(f"order: {category.order}")
    return "\n".join(lines) + "\n"


def _prepare_out_dir(out_dir: Path, force: bool) -> None:
    resolved = out_dir.resolve()
    if REPO.is_relative_to(resolved) or resolved.is_relative_to(REPO / "faq") or resolved.is_relative_to(REPO / "site"):
        raise ValueError(f"refusing to write into {out_dir}: it would overwrite the project's own files")
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ValueError(f"{out_dir} exists and is not a folder")
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists() and not force:
            raise ValueError(f"{out_dir} is not empty and was not made by gen_tree (force=True replaces it)")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)


def write_tree(tree: GenTree, out_dir: Path, *, force: bool = False) -> Path:
    """Writes the tree's YAML under out_dir, replacing a tree written there before; returns out_dir.

    A folder that holds anything else is left alone unless `force`, and the project's own faq/
    and site/ never are.
    """
    out_dir = Path(out_dir)
    _prepare_out_dir(out_dir, force)
    (out_dir / MARKER).write_text("generated by tests/harness/gen_tree.py\n", encoding="utf-8")
    (out_dir / "_synonyms.yml").write_text(
        "# 同义词：搜索时同组的词视为相同\n" + "".join(f"- {yaml_list(g)}\n" for g in tree.synonyms), encoding="utf-8")
    for category in tree.walk():
        folder = out_dir.joinpath(*category.path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_category.yml").write_text(category_yaml(category), encoding="utf-8")
        for gen_file in category.files:
            (folder / gen_file.name).write_text("".join(entry_yaml(e) for e in gen_file.entries), encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the FAQ tree into (replaced if made by this script)")
    parser.add_argument("--questions", type=int, default=10000, help="number of questions (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR even if it was not made by this script")
    args = parser.parse_args(argv)
    try:
        tree = generate(args.questions, args.seed)
        write_tree(tree, args.out_dir, force=args.force)
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {tree.describe()} to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
