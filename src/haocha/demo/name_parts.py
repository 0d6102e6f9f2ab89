"""Word lists for generated provider names and addresses (see identities.py)."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


GENERAL_BRANDS = _words(
    "佳和 恒信 和美 安心 诚信 阳光 华信 同心 惠民 邻里 彩虹 春晖 益家 "
    "福临 瑞丰 嘉禾 锦绣 天成 永安 新民 康达 星河 晨光 悦享 三和 四季 "
    "明珠 海韵 紫荆 银杏 香樟 玉兰 梧桐 云朵 青禾 南风 北辰 知心 暖心 "
    "匠心 贴心 欣欣 睿德 鸿运 德馨 乐家 乐群 望月 江海 浦江 濠河 狼山 "
    "如意 吉祥"
)

# Sector-flavoured shop names; well-known chains are left out on purpose.
BRANDS: dict[str, tuple[str, ...]] = {
    "elderly_care": _words(
        "乐龄 颐和 福寿 康乐 松鹤 夕阳红 长青 颐养 安康 寿康 孝心 敬老 "
        "椿萱 福泰 怡康 慈爱 百岁 晚晴"
    ),
    "childcare": _words(
        "小蜗牛 童趣 贝贝 爱婴 小树苗 七彩 小星星 萌芽 育苗 童心 蒲公英 "
        "小脚丫 乐贝 宝贝家 小橡果 小海豚"
    ),
    "housekeeping": _words(
        "好帮手 巧手 洁丽 家美 安家 勤嫂 管家 洁净 家和 金管家 亮洁 宜居 顺心 妙手 清爽 好阿姨"
    ),
    "fitness": _words(
        "悦动 力健 型动 超越 活力 燃动 飞跃 元气 极限 动感 健美 跃动 强健 体魄 冠军 驰骋"
    ),
    "culture": _words(
        "墨香 书香 文心 翰林 知音 雅集 清韵 博雅 新知 开卷 读书人 润墨 弦歌 艺苑 半亩 青灯"
    ),
    "tourism": _words(
        "云栖 江畔 湖光 海悦 枫桥 水乡 逸居 半岛 港湾 望江 临湖 栖霞 归园 悦来 听涛 揽月"
    ),
    "health": _words(
        "仁心 济民 杏林 仁和 百草 益寿 康宁 保和 颐康 正骨 本草 安泰 德济 回春 寿仁 康复"
    ),
    "property": _words(
        "安居 宜居 兴业 恒安 祥和 和谐 海城 万安 联合 家园 永固 安泰 盛世 城投 协和 宏信"
    ),
    "catering": _words(
        "老街 阿婆 张记 王记 李记 陈记 老周 阿强 川味 湘味 本帮 苏帮 蜀香 "
        "渝味 粤港 一品鲜 好味道 大碗 巷子 小馆 味之源 老灶 弄堂 阿娘 徐记 "
        "顾记 沈记 海门 滨江 石库门"
    ),
    "convenience": _words(
        "邻家 便民 利民 百姓 惠家 万家 果园 优鲜 鲜果 家门口 晨曦 社区 街坊 随心 快捷 诚实"
    ),
    "education": _words(
        "启明 博学 明德 育才 思源 知行 英华 卓越 启航 智慧树 优学 立达 书山 尚学 乐学 智趣"
    ),
    "beauty": _words(
        "丽人 美颜 发艺 秀发 名剪 魅力 靓丽 造型 丝丝 美妍 花漾 悦容 青丝 时光 伊人 尚美"
    ),
}

# Generated road names: plausible, generic, and not meant to match any real address.
ROAD_FIRST = _words(
    "长乐 建新 和平 文化 新华 青年 幸福 友谊 光明 胜利 育才 康健 安宁 "
    "丰收 振兴 民生 向阳 红旗 团结 东风 晓光 桃园 杏花 兰亭 松柏 金桥 "
    "银河 临江 望海 沿河 滨湖 春申"
)
ROAD_LAST = ("路", "路", "路", "街", "大道", "支路")
STREET_FIRST = _words(
    "长寿 新桥 江浦 石门 华泾 龙华 城厢 虹桥 曹杨 北新 东明 梅园 任港 文峰 观音 南城"
)

CATERING_SHOPS = _words("面馆 小吃店 馄饨店 生煎馆 包子铺 快餐店")
CATERING_BRANCHES = _words("火锅 餐厅 饭店 私房菜 茶餐厅 烘焙坊 烧烤 本帮菜馆")
CONVENIENCE_SHOPS = _words("便利店 水果店 洗衣店 修鞋配钥匙店 裁缝铺 家电维修部 快递驿站")
BEAUTY_SHOPS = _words("美发沙龙 美容院 美甲店 理发店 养发馆 发型工作室")
