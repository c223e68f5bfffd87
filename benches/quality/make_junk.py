#!/usr/bin/env python3
"""Generate the labelled junk set `fixtures/quality/junk.jsonl` (and its README) for the quality filters.

Every document in the file is junk that a web-corpus quality filter (Gopher/C4-style rules, adapted
to Chinese characters) should drop. Eight categories, 40 documents each (320 in all), 100–3,000
characters, as if scraped from Taiwanese websites:

    repeated_lines       a few lines (law sentences, web phrases, forum replies, product rows)
                         repeated many times; >= 40 % of the lines are duplicates
    repeated_paragraphs  blank-line separated paragraphs, mostly copies of one or two paragraphs
    nav_menu             navigation menus, breadcrumbs, category trees, site maps, pagination:
                         short lines, no sentence punctuation, separators | » › ＞ …
    seo_spam             keyword stuffing (city + topic + 推薦/便宜/優惠/2024/最新 …) in long runs,
                         hashtags, title stuffing, repeated character n-grams
    gibberish_han        random Han characters drawn from the laws' character distribution, some
                         with random punctuation and random line breaks
    symbols_noise        banners, emoji rows, box drawing, ASCII art, kaomoji and separator lines
                         with a few Chinese words between
    boilerplate          cookie banners, privacy policies, terms of service, login walls, footers
    mojibake             law text as UTF-8 read as cp1252 / latin-1 ("å¤§"), Big5 read as cp1252
                         ("¤¤µØ"), double mojibake, partial mojibake, U+FFFD-ridden text

Raw material: `shared/data/tw-laws/sample-200.jsonl` (real R.O.C. law text, OGDL-Taiwan-1.0; its
sha256 is checked): sentences, articles, law titles and the Han-character frequency distribution.
Everything else (web phrases, menus, keywords, policies, site and company names) was written for
this project; all names are invented.

Deterministic: standard library only (Python 3.11), one `random.Random` per category seeded with
the string f"{SEED}/{category}", so editing one category leaves the others byte-identical.

    python3 benches/quality/make_junk.py                 # write fixtures/quality/junk.jsonl + README.md
    python3 benches/quality/make_junk.py --check         # regenerate in memory; exit 1 if either differs
    python3 benches/quality/make_junk.py --laws PATH     # laws sample elsewhere

Record format (one JSON object per line): {"id": "junk-<category>-NNN", "text": "…", "label": "<category>"}
"""

import argparse
import hashlib
import json
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter
from itertools import accumulate, count
from random import Random
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fixture_tools  # noqa: E402  (benches/fixture_tools.py)

SEED = 20260318
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT_JSONL = os.path.join(REPO, "fixtures", "quality", "junk.jsonl")
OUT_README = os.path.join(REPO, "fixtures", "quality", "README.md")
DEFAULT_LAWS = os.path.join("..", "shared", "data", "tw-laws", "sample-200.jsonl")  # from the repo root
LAWS_SHA256 = "61ffc318f5c637c5383e49fbc71b569bfcbc87b728b8ea067901ac934c9c47f2"

PER_CATEGORY = 40
MIN_CHARS, MAX_CHARS = 100, 3000
# Target lengths are stratified over [MIN_CHARS, MAX_CHARS] on a log scale, bent towards short
# documents (u ** SKEW) so that the file stays well under 600 KB.
SKEW = 1.6

CATEGORIES = [
    "repeated_lines", "repeated_paragraphs", "nav_menu", "seo_spam",
    "gibberish_han", "symbols_noise", "boilerplate", "mojibake",
]

# --------------------------------------------------------------------------------------------
# character helpers


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def is_pua(c):
    return "\ue000" <= c <= "\uf8ff"


def han_share(s):
    s = [c for c in s if not c.isspace()]
    return sum(is_han(c) for c in s) / max(1, len(s))


def word_char_share(s):
    """Share of non-space characters that are letters or digits (Unicode L* / N*), Han included."""
    s = [c for c in s if not c.isspace()]
    return sum(unicodedata.category(c)[0] in "LN" for c in s) / max(1, len(s))


# --------------------------------------------------------------------------------------------
# source material from the laws sample

HEADING = re.compile(r"^第\s*[0-9一二三四五六七八九十百零〇]+(?:-[0-9]+)?\s*[編章節款目條]")


class Laws:
    """Sentences, article bodies, titles and the Han-character distribution of the laws sample."""

    def __init__(self, texts):
        self.texts = texts
        self.titles = []
        self.sentences = []
        self.articles = []
        seen_s, seen_a, seen_t = set(), set(), set()
        for t in texts:
            title = t.split("\n", 1)[0].strip()
            if 4 <= len(title) <= 30 and title not in seen_t and not any(is_pua(c) for c in title):
                seen_t.add(title)
                self.titles.append(title)
            for block in t.split("\n\n"):
                lines = block.split("\n")
                if len(lines) >= 2 and re.fullmatch(r"第 [0-9]+(?:-[0-9]+)? 條", lines[0]):
                    body = "".join(x.strip() for x in lines[1:])
                    if 30 <= len(body) <= 260 and han_share(body) > 0.7 and body not in seen_a \
                            and not any(is_pua(c) for c in body):
                        seen_a.add(body)
                        self.articles.append((lines[0], body))
            for line in t.split("\n"):
                for piece in re.findall(r"[^。]+。?", line.strip()):
                    s = piece.strip().lstrip("，、；：")
                    if not 8 <= len(s) <= 60 or HEADING.match(s) or s in seen_s:
                        continue
                    if han_share(s) < 0.75 or any(is_pua(c) for c in s):
                        continue
                    seen_s.add(s)
                    self.sentences.append(s)
        counts = Counter(c for t in texts for c in t if is_han(c))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self.chars = [c for c, _ in ranked]
        self.cum_weights = list(accumulate(n for _, n in ranked))

    def han(self, rng, k, uniform=False):
        if uniform:
            return "".join(rng.choice(self.chars) for _ in range(k))
        return "".join(rng.choices(self.chars, cum_weights=self.cum_weights, k=k))

    def excerpt(self, rng, n_chars):
        """Consecutive lines of one law (PUA-free), about n_chars long, starting at a random line."""
        while True:
            t = rng.choice(self.texts)
            if len(t) < n_chars * 0.6 or any(is_pua(c) for c in t):
                continue
            lines = t.split("\n")
            start = rng.randrange(max(1, len(lines) // 2)) if rng.random() < 0.7 else 0
            out, n = [], 0
            for line in lines[start:]:
                if n >= n_chars:
                    break
                out.append(line)
                n += len(line) + 1
            text = "\n".join(out).strip("\n")
            if len(text) >= min(n_chars * 0.6, 80):
                return text[: max(n_chars, 40)].rstrip()


def read_laws(path):
    data = open(path, "rb").read()
    got = hashlib.sha256(data).hexdigest()
    if got != LAWS_SHA256:
        sys.exit(f"make_junk.py: {path} has sha256 {got}, expected {LAWS_SHA256} (shared/data/README.md)")
    return [json.loads(line)["text"] for line in data.decode("utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------------------------
# invented web material (written for this project)

SITE_A = ["晨光", "青禾", "小島", "日日", "森林", "好時", "米粒", "藍海", "暖陽", "山城", "綠意", "拾光",
          "木耳", "向日", "雲朵", "微風"]
SITE_B = ["生活館", "選物", "旅遊網", "數位", "購物網", "書房", "美學", "商行", "文創", "科技", "食堂", "市集"]
COMPANY_SUFFIX = ["股份有限公司", "有限公司", "企業社", "國際股份有限公司"]
EMAILS = ["service@example.com", "cs@example.com.tw", "info@example.tw", "help@example.org",
          "contact@example.net"]


def site_name(rng):
    return rng.choice(SITE_A) + rng.choice(SITE_B)


def company_name(rng, site=None):
    return (site or site_name(rng))[:2] + rng.choice(["國際", "生活", "數位", "創意", "實業", ""]) + \
        rng.choice(COMPANY_SUFFIX)


CITIES = ["台北", "新北", "基隆", "桃園", "新竹", "苗栗", "台中", "彰化", "南投", "雲林", "嘉義", "台南",
          "高雄", "屏東", "宜蘭", "花蓮", "台東", "澎湖", "金門", "板橋", "中壢", "信義區", "西屯", "左營"]

WEB_LINES = [
    "立即下載 App，首購享九折優惠", "加入 LINE 好友，領取 100 元購物金", "點我看更多", "看更多商品",
    "本商品已售完，請留意補貨通知", "分享到 Facebook", "分享到 LINE", "複製連結", "已加入追蹤清單",
    "載入中，請稍候…", "查看更多留言", "此留言已被刪除", "相關文章", "延伸閱讀", "廣告", "贊助內容",
    "你可能也會喜歡", "免運門檻 NT$699", "限時搶購 倒數 00:59:59", "訂閱我們的頻道", "按讚追蹤不漏接",
    "滿千折百，全館適用", "新會員註冊送 50 元", "今日熱門", "本週排行", "編輯精選", "留言 0 則",
    "閱讀全文", "收合", "展開全部", "上一篇", "下一篇", "回列表", "熱銷商品 TOP 10", "加入購物車",
    "立即購買", "貨到付款", "超商取貨", "7-11 取貨付款", "全家取貨", "宅配到府",
]
FORUM_DUP = ["回覆", "引用", "檢舉", "推", "感謝分享", "+1", "推推", "路過", "幫推", "同問", "好文推",
             "已收藏", "謝謝大大", "先收藏再說", "回覆 引用 檢舉", "讚 0", "只看樓主"]
PRODUCTS = ["保溫瓶 500ml", "不鏽鋼便當盒", "無線藍牙耳機", "行動電源 10000mAh", "手機殼 防摔款",
            "LED 檯燈", "吸塵器 手持式", "電動牙刷", "除濕機 6 公升", "竹纖維毛巾三入", "保冷袋",
            "登山背包 30L", "折疊傘 自動開收", "陶瓷馬克杯", "筆記本 A5", "洗碗精補充包"]

PROMO_PARAS = [
    "歡迎加入{site}會員！每月享有專屬折扣與生日禮金，新會員首次消費再送 100 元購物金，詳情請洽客服。",
    "本文同步刊登於{site}官方部落格，歡迎分享，轉載請註明出處。喜歡我們的文章嗎？記得按讚追蹤，第一時間掌握最新消息！",
    "【{site}限時優惠】全館商品滿 999 元免運，結帳輸入折扣碼即可再折 50 元，數量有限，送完為止。",
    "想了解更多優惠資訊，請加入我們的 LINE 官方帳號，或訂閱電子報，每週為您送上精選好康。",
    "以上內容僅供參考，實際價格及活動內容以現場公告為準。{site}保留修改、變更及終止活動之權利。",
    "如有任何問題，歡迎來信 {email}，客服人員將於三個工作天內回覆您。感謝您的支持與愛護！",
    "本站部分連結為聯盟行銷連結，若您透過連結購買商品，本站可能獲得少許分潤，但不影響您的購買價格。",
    "延伸閱讀：更多相關文章請點選下方連結。看完覺得有幫助的話，歡迎分享給需要的朋友喔！",
]
DISCLAIMERS = [
    "免責聲明：本文內容僅供一般資訊參考，不構成任何法律意見。如有具體法律問題，請洽詢專業律師。",
    "【聲明】本站文章均為網友整理分享，如有侵權請來信告知，我們將儘速移除。",
    "※ 法規內容以全國法規資料庫公告為準，本站不保證資料之正確性與即時性。",
    "本頁資料僅供參考，最新條文請以主管機關公告為準，本站不負任何法律責任。",
]

NAV_TOP = ["首頁", "關於我們", "最新消息", "產品介紹", "服務項目", "聯絡我們", "常見問題", "網站地圖", "登入",
           "註冊", "購物車", "會員中心", "線上客服", "門市據點", "活動專區", "下載專區", "影音專區", "相關連結",
           "English", "日本語", "訂單查詢", "追蹤清單", "優惠券", "品牌故事", "人才招募", "投資人關係",
           "合作提案", "新聞中心", "部落格", "客戶案例", "技術支援", "隱私權政策", "使用條款", "購物說明",
           "退換貨須知", "運費說明", "付款方式", "會員權益"]
ABOUT_SUB = ["公司簡介", "經營理念", "發展沿革", "組織架構", "企業社會責任", "得獎紀錄", "交通資訊"]
NEWS_SUB = ["公告", "活動訊息", "媒體報導", "新品上市", "徵才訊息", "電子報"]
SHOP_CATS = {
    "3C 家電": ["手機", "平板", "筆記型電腦", "耳機", "行動電源", "智慧手錶", "電視", "冰箱", "洗衣機", "冷氣",
              "除濕機", "空氣清淨機"],
    "美妝保養": ["化妝水", "乳液", "精華液", "面膜", "防曬", "卸妝", "口紅", "眼影", "香水"],
    "服飾鞋包": ["女裝", "男裝", "童裝", "運動鞋", "休閒鞋", "後背包", "手提包", "皮夾", "帽子"],
    "居家生活": ["寢具", "收納", "廚具", "餐具", "清潔用品", "衛浴", "燈具", "家具"],
    "食品飲料": ["零食", "餅乾", "茶葉", "咖啡", "泡麵", "罐頭", "白米", "冷凍食品", "伴手禮"],
    "母嬰用品": ["尿布", "奶粉", "嬰兒推車", "汽座", "玩具", "童書"],
    "運動戶外": ["露營", "登山", "自行車", "瑜珈墊", "健身器材", "泳具"],
    "保健食品": ["維他命", "益生菌", "魚油", "葉黃素", "膠原蛋白"],
    "圖書文具": ["中文書", "外文書", "雜誌", "筆記本", "原子筆", "辦公用品"],
    "寵物用品": ["狗飼料", "貓飼料", "貓砂", "寵物零食", "牽繩", "寵物床"],
}
SHOP_EXTRA = ["全部商品分類", "品牌旗艦館", "限時特賣", "今日下殺", "新品上架", "熱銷排行", "會員專區", "購物車(0)",
              "我的訂單", "我的優惠券", "追蹤清單", "登入 / 註冊", "客服中心", "APP 下載"]
NEWS_SECTIONS = ["即時", "熱門", "政治", "社會", "國際", "兩岸", "財經", "股市", "房市", "生活", "健康", "娛樂",
                 "體育", "科技", "地方", "文化", "旅遊", "美食", "汽車", "影音", "評論", "專題", "天氣", "星座"]
GOV_HEAD = [":::", "跳到主要內容區塊", "回首頁", "網站導覽", "English", "常見問答", "意見信箱", "字級設定 小 中 大",
            "RSS 訂閱", "分享", "列印", "回上一頁", "友善列印", "全文檢索", "進階搜尋"]
GOV_MENU = {
    "機關介紹": ["首長介紹", "組織架構", "業務職掌", "歷史沿革", "聯絡資訊", "交通位置"],
    "業務資訊": ["施政計畫", "業務統計", "重要政策", "計畫成果", "委託研究"],
    "政府資訊公開": ["預算書", "決算書", "施政計畫", "內部控制聲明書", "會議紀錄", "採購資訊", "出版品"],
    "便民服務": ["表單下載", "申辦流程", "常見問答", "陳情專區", "檔案應用", "線上申辦"],
    "最新消息": ["最新公告", "新聞稿", "活動訊息", "招標資訊", "徵才資訊"],
    "法令規章": [],  # filled with law titles
    "相關連結": ["政府入口網", "政府資料開放平臺", "國家發展委員會", "全國法規資料庫"],
}
SITE_FOOT = ["隱私權政策", "服務條款", "網站地圖", "聯絡我們", "常見問題", "回到頂端"]
GOV_FOOT = ["政府網站資料開放宣告", "隱私權及安全政策", "無障礙專區", "網站導覽", "意見信箱", "回頁首"]
SEPARATORS = [" | ", " ｜ ", " / ", "・", " · ", "　", "  ", " > ", " » ", " › ", " ＞ ", " → ", " :: "]
CRUMB_SEPS = [" > ", " » ", " › ", " ＞ ", " / ", " → ", ">", "»", " ‧ "]
CRUMB_PREFIX = ["", "", "您現在的位置：", "目前位置：", "現在位置：", "您在這裡：", "::: "]

SEO_TOPICS = {
    "住宿": ["住宿", "飯店", "民宿", "旅館", "訂房", "親子飯店", "溫泉飯店", "商務旅館", "青年旅館"],
    "美食": ["美食", "餐廳", "小吃", "早午餐", "火鍋", "燒肉", "甜點", "咖啡廳", "宵夜", "吃到飽"],
    "搬家": ["搬家", "搬家公司", "搬家費用", "小搬家", "學生搬家", "鋼琴搬運", "家具搬運"],
    "借貸": ["借錢", "貸款", "信貸", "車貸", "房貸", "當鋪", "汽車借款", "機車借款", "小額借款", "急用借錢"],
    "減肥": ["減肥", "瘦身", "代餐", "減重", "燃脂", "瘦肚子", "體雕", "減肥餐"],
    "牙醫": ["牙醫", "植牙", "矯正", "隱形矯正", "洗牙", "牙齒美白", "假牙"],
    "補習": ["補習班", "英文補習", "家教", "數學家教", "多益", "雅思", "學測", "線上家教"],
    "維修": ["手機維修", "換螢幕", "換電池", "iPhone維修", "電腦維修", "筆電維修", "資料救援"],
    "婚禮": ["婚紗", "婚攝", "婚宴", "喜餅", "婚戒", "新秘", "婚紗攝影"],
    "水電": ["冷氣清洗", "冷氣安裝", "洗衣機清洗", "水電行", "抓漏", "通水管"],
    "租車": ["租車", "機車出租", "包車", "機場接送", "九人座包車", "自駕"],
    "醫美": ["醫美", "雷射", "除毛", "玻尿酸", "音波拉提", "皮秒", "淨膚雷射"],
}
SEO_MODS = ["推薦", "便宜", "優惠", "最新", "排名", "評價", "比較", "價格", "費用", "價錢", "懶人包", "必看",
            "免費", "CP值", "第一名", "首選", "PTT", "Dcard", "網友推薦", "ptt推薦", "一覽", "攻略", "特價",
            "折扣", "限時", "熱門", "精選", "TOP10", "最新版", "口碑", "老字號", "24小時", "附近", "哪裡",
            "哪家好", "平價", "超值"]
SEO_YEARS = ["2023", "2024", "2025", "2024年", "2025年"]
SEO_LEADS = [
    "想找{kw}嗎？這篇幫你整理{year}最新{kw}，{kw2}一次看！",
    "{year}{kw}懶人包｜{kw2}、{kw3}總整理",
    "還在煩惱{kw}？網友激推{kw2}，{kw3}看這篇就對了！",
    "【{year}最新】{kw}推薦排行，{kw2}必收藏",
]
SEO_HEADS = ["相關搜尋：", "熱門關鍵字：", "標籤：", "Tags：", "熱門標籤", "關鍵字：", "大家都在搜：", "相關文章："]

SYM_UNITS = ["★☆", "☆★", "★", "☆", "♥", "♡", "❤", "→", "←", "↓", "▲", "▼", "■", "□", "●", "○", "◆", "◇",
             "═", "─", "━", "┅", "|", "*", "#", "=", "~", "-", "_", "+", "※", "◎", "✿", "❀", "✦", "✧", "☀",
             "♪", "♫", "✔", "▶", "◀", "►", "◄", "•", "…", "〓", "=-", "*~", "・", "◢◣", "◥◤"]
SYM_RAMPS = ["▁▂▃▄▅▆▇█▇▆▅▄▃▂▁", "░▒▓█▓▒░", "·.¸¸.·´¯`·.¸¸.·", "¤º°`°º¤ø,¸¸,ø¤º°`°º¤", ".-~*'¨¯¨'*·~-.",
             "<(￣︶￣)>", "=^..^=", "o(>ω<)o"]
EMOJI = ["🔥", "🎉", "🎊", "✨", "👉", "👈", "❤️", "💕", "😍", "😂", "🤣", "👍", "🙏", "💯", "⭐", "🌟", "📢",
         "📣", "🛒", "💰", "🎁", "⚡", "✅", "❌", "⚠️", "🚀", "💥", "🌈", "🍀", "🐶", "🐱", "🍜", "🧋", "🎈",
         "💖", "😊", "🥰", "👏", "🆕", "🆓"]
KAOMOJI = ["(*´∀`)~♥", "(≧▽≦)", "(｡◕∀◕｡)", "(╯°□°）╯︵ ┻━┻", "┬─┬ ノ( ゜-゜ノ)", "(◍•ᴗ•◍)", "(´・ω・`)",
           "ヽ(✿ﾟ▽ﾟ)ノ", "(ﾟ∀ﾟ)", "=^.^=", "¯\\_(ツ)_/¯", "(っ˘ω˘ς )", "(•̀ᴗ•́)و", "＼(^o^)／", "(｀・ω・´)"]
ASCII_ART = [
    [" /\\_/\\ ", "( o.o )", " > ^ < "],
    ["  ___  ", " (o o) ", "(  V  )", "--m-m--"],
    ["   *   ", "  ***  ", " ***** ", "*******", "   |   "],
    ["+-----+-----+", "|     |     |", "+-----+-----+"],
    [" _____ ", "|_   _|", "  | |  ", "  |_|  "],
    ["   /\\   ", "  /  \\  ", " /____\\ ", "   ||   "],
    ["o o o o o", " \\|/ \\|/ ", "--+---+--"],
]
SYM_WORDS = ["公告", "注意", "限時", "優惠", "新品", "熱賣", "必看", "目錄", "分隔線", "最新", "活動", "重要", "特價",
              "歡迎光臨", "感謝支持", "本店", "TOP", "NEW", "HOT", "SALE", "GO", "點我", "快搶", "爆殺", "賀",
              "休息", "完售", "預購", "補貨"]

COOKIE_BANNERS = [
    "本網站使用 cookie 以提供您更好的瀏覽體驗。繼續瀏覽本網站，即表示您同意我們使用 cookie。",
    "我們使用 Cookie 及相關技術來改善網站效能、分析流量並提供個人化內容。點選「接受」即表示您同意依照我們的隱私權政策使用 Cookie。",
    "為了提供更好的服務，本站會使用 cookies 蒐集您的瀏覽資訊。若您繼續使用本網站，代表您已閱讀並同意本站的隱私權政策與 Cookie 政策。",
    "{site}使用必要及非必要的 Cookie。您可以選擇「接受全部」，或前往「Cookie 設定」調整您的偏好。",
    "本網站採用 Cookie 技術，用以記錄您的偏好設定及進行流量統計。如您不同意，請調整瀏覽器設定停用 Cookie，但部分功能可能無法正常運作。",
    "我們重視您的隱私。本站與合作夥伴會使用 Cookie 儲存及存取您裝置上的資訊，用於個人化廣告、內容成效評估及產品開發。",
]
COOKIE_BUTTONS = ["接受", "我同意", "全部接受", "拒絕", "拒絕全部", "Cookie 設定", "管理偏好設定", "了解更多", "關閉",
                  "確定", "OK", "儲存設定", "僅接受必要 Cookie"]
COOKIE_PREFS = [
    "必要性 Cookie：此類 Cookie 為網站正常運作所必需，無法在系統中關閉。",
    "功能性 Cookie：用於記住您的語言、地區等偏好設定，以提供更便利的使用體驗。",
    "分析型 Cookie：協助我們瞭解訪客如何使用本網站，例如瀏覽次數與停留時間，資料以匿名方式彙整。",
    "廣告 Cookie：由我們的廣告合作夥伴設定，用於建立您的興趣輪廓並顯示相關廣告。",
    "社群媒體 Cookie：讓您可以透過社群平台分享本網站內容，相關平台可能追蹤您的瀏覽行為。",
]
PRIVACY_SECTIONS = [
    ("隱私權保護政策的適用範圍",
     "本政策說明{site}如何蒐集、處理及利用您在使用本網站服務時所提供的個人資料。本政策不適用於本網站以外的相關連結網站，"
     "亦不適用於非本網站所委託或參與管理的人員。"),
    ("個人資料的蒐集、處理及利用方式",
     "當您註冊會員、訂購商品或參加活動時，我們會請您提供必要的個人資料，包括姓名、電子郵件地址、聯絡電話及收件地址等。"
     "我們僅於特定目的範圍內處理及利用您的個人資料，非經您書面同意，不會將資料用於其他用途。"),
    ("資料之保護",
     "本網站主機均設有防火牆、防毒系統等相關資訊安全設備及必要的安全防護措施，加以保護網站及您的個人資料。"
     "只有經過授權的人員才能接觸您的個人資料，相關處理人員皆簽有保密合約。"),
    ("網站對外的相關連結",
     "本網站的網頁提供其他網站的網路連結，您也可經由本網站所提供的連結，點選進入其他網站。"
     "但該連結網站不適用本網站的隱私權保護政策，您必須參考該連結網站中的隱私權保護政策。"),
    ("與第三人共用個人資料之政策",
     "本網站不會提供、交換、出租或出售任何您的個人資料給其他個人、團體、私人企業或公務機關，但有法律依據或合約義務者，不在此限。"),
    ("Cookie 之使用",
     "為了提供您最佳的服務，本網站會在您的電腦中放置並取用我們的 Cookie。若您不願接受 Cookie 的寫入，"
     "您可在瀏覽器功能項中將隱私權等級設定為高，即可拒絕 Cookie 的寫入，但可能會導致網站某些功能無法正常執行。"),
    ("當事人權利",
     "依個人資料保護法規定，您得就您的個人資料向本網站請求查詢、閱覽、製給複製本、補充或更正、停止蒐集處理利用或刪除。"
     "如欲行使上述權利，請透過客服信箱與我們聯繫。"),
    ("未成年人之保護",
     "本網站之服務並非針對未滿十八歲之未成年人設計。未成年人於註冊會員或提供個人資料前，應由法定代理人閱讀並同意本政策。"),
    ("資料保存期間",
     "除法令另有規定外，我們將於蒐集之特定目的存續期間內保存您的個人資料；特定目的消失或期限屆滿時，將依規定刪除、停止處理或利用。"),
    ("隱私權保護政策之修正",
     "本網站隱私權保護政策將因應需求隨時進行修正，修正後的條款將刊登於網站上，不另行個別通知。建議您定期查閱本頁面以瞭解最新內容。"),
    ("聯絡方式", "若您對本隱私權政策有任何疑問，歡迎來信 {email} 與我們聯繫，我們將儘速回覆。"),
]
TERMS_SECTIONS = [
    ("認知與接受條款",
     "歡迎使用{site}（以下簡稱本網站）。當您開始使用本網站服務時，即表示您已閱讀、瞭解並同意接受本服務條款之所有內容。"),
    ("會員註冊義務",
     "您同意於註冊時提供正確、最新及完整的資料，並隨時更新。若您提供任何錯誤或不實的資料，本網站有權暫停或終止您的帳號。"),
    ("帳號與密碼之保管",
     "您有責任妥善保管您的帳號及密碼，並對使用該帳號及密碼所進行的一切行為負責。如發現帳號遭盜用，請立即通知本網站。"),
    ("智慧財產權",
     "本網站所使用之軟體、程式及網站上所有內容，包括但不限於著作、圖片、檔案、資訊、網站架構及網頁設計，均由本網站或其他權利人"
     "依法擁有其智慧財產權。未經事先書面同意，不得擅自重製、改作或公開傳輸。"),
    ("免責聲明",
     "本網站所提供之資訊僅供參考，不保證其正確性、即時性或完整性。您因使用本網站資訊所生之任何損害，本網站不負任何賠償責任。"),
    ("服務之暫停或中斷",
     "本網站將以合理之方式及技術維護服務之正常運作，但於系統維護、設備更換或不可抗力因素時，得暫停或中斷服務，且不負任何賠償責任。"),
    ("條款之修改",
     "本網站保留隨時修改本服務條款之權利，修改後之條款將公布於網站上，不另行通知。您於修改後繼續使用本服務，視為同意修改後之條款。"),
    ("準據法與管轄法院",
     "本條款之解釋與適用，以及與本條款有關的爭議，均應依照中華民國法律予以處理，並以臺灣臺北地方法院為第一審管轄法院。"),
]
LOGIN_LINES = [
    "會員登入", "請先登入會員", "登入後即可閱讀全文", "本文為會員限定內容，請登入或註冊以繼續閱讀。", "帳號",
    "請輸入帳號或電子郵件", "密碼", "請輸入密碼", "記住我", "忘記密碼？", "登入", "還不是會員？", "立即註冊",
    "使用 Facebook 帳號登入", "使用 Google 帳號登入", "使用 LINE 帳號登入", "使用 Apple 帳號登入", "或",
    "登入即表示您同意本站的服務條款及隱私權政策", "驗證碼", "請輸入圖片中的驗證碼", "看不清楚？換一張",
    "訂閱方案每月只要 NT$99 起，立即解鎖全站文章", "您本月的免費文章額度已用完", "已有帳號？登入", "加入會員",
    "手機號碼", "取得驗證碼", "重新發送", "下一步", "請輸入正確的電子郵件格式", "密碼長度須為 8–20 個字元",
    "繼續閱讀", "訂閱解鎖", "登入 / 註冊",
]
FOOTER_LINES = [
    "版權所有 © {year} {company}", "Copyright © {year} {site} All rights reserved.",
    "© {year} {company} 版權所有，轉載必究", "本網站所有內容未經授權不得轉載", "隱私權政策", "服務條款", "免責聲明",
    "網站地圖", "聯絡我們", "回到頂端", "TOP", "訂閱電子報", "請輸入您的 Email", "訂閱", "輸入 Email 即可收到最新優惠資訊",
    "追蹤我們", "Facebook", "Instagram", "YouTube", "LINE", "客服信箱：{email}",
    "客服時間：週一至週五 09:00–18:00（國定假日除外）", "建議使用 Chrome、Edge、Firefox、Safari 最新版本瀏覽，最佳解析度 1920×1080",
    "您的瀏覽器不支援 JavaScript 功能，若網頁功能無法正常使用時，請開啟瀏覽器 JavaScript 狀態。",
    "瀏覽人次：{count}", "最後更新日期：{date}", "本站使用 cookie 以提升瀏覽體驗", "網站設計：{designer}",
    "All rights reserved.", "Powered by {designer}", "回首頁", "加入會員", "忘記密碼", "會員登入",
]

# --------------------------------------------------------------------------------------------
# small helpers


def target_lengths(rng, n=PER_CATEGORY):
    """n target lengths, one per stratum of [0, 1), mapped to MIN..MAX on a bent log scale."""
    out = []
    for i in range(n):
        u = (i + rng.random()) / n
        out.append(round(MIN_CHARS * (MAX_CHARS / MIN_CHARS) ** (u ** SKEW)))
    rng.shuffle(out)
    return out


def styles_for(rng, styles, n=PER_CATEGORY):
    """Each style about n / len(styles) times, in shuffled order."""
    out = [styles[i % len(styles)] for i in range(n)]
    rng.shuffle(out)
    return out


def fill(target, next_piece, sep="\n"):
    """Append pieces from next_piece() until the text reaches target characters."""
    parts, n = [], 0
    while n < target:
        p = next_piece()
        parts.append(p)
        n += len(p) + len(sep)
    return parts


def clip(text, limit=MAX_CHARS):
    """Cut at the last line break (or anywhere) so that len(text) <= limit."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit + 1)
    return (text[:cut] if cut > limit // 2 else text[:limit]).rstrip()


def fmt(s, ctx):
    return s.format(**ctx)


def web_context(rng):
    site = site_name(rng)
    year = rng.choice(range(2018, 2026))
    return {
        "site": site,
        "company": company_name(rng, site),
        "year": year,
        "email": rng.choice(EMAILS),
        "count": f"{rng.randrange(1000, 9999999):,}",
        "date": f"{rng.choice([year, 2024, 2025])}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "designer": rng.choice(["示範網頁設計", "範例數位", "某某設計工作室", "Example Web Studio"]),
    }


def dup_line_fraction(text):
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    return 1 - len(set(lines)) / max(1, len(lines))


def paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def dup_para_fraction(text):
    ps = paragraphs(text)
    return 1 - len(set(ps)) / max(1, len(ps))


def dup_ngram_char_fraction(text, n=4):
    """Gopher's duplicate n-gram character fraction, on the word characters (Han, letters, digits)."""
    s = [c for c in text if unicodedata.category(c)[0] in "LN"]
    if len(s) < n + 1:
        return 0.0
    grams = ["".join(s[i:i + n]) for i in range(len(s) - n + 1)]
    counts = Counter(grams)
    covered = [False] * len(s)
    for i, g in enumerate(grams):
        if counts[g] > 1:
            for j in range(i, i + n):
                covered[j] = True
    return sum(covered) / len(s)


# --------------------------------------------------------------------------------------------
# 1. repeated_lines


def forum_header(rng):
    who = rng.choice(["會員", "訪客", "user"]) + str(rng.randrange(100, 99999))
    day = f"2024-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    when = f"{day} {rng.randrange(24):02d}:{rng.randrange(60):02d}"
    return f"#{rng.randrange(2, 400)} 樓  {who}  {when}"


def repeated_line_pool(rng, laws, style, k):
    """(k candidate lines to repeat, a function giving one unique filler line) for a style."""
    if style == "law":
        return [rng.choice(laws.sentences) for _ in range(k)], lambda: rng.choice(laws.sentences)
    if style == "web":
        return rng.sample(WEB_LINES, k), lambda: rng.choice(laws.sentences + WEB_LINES)
    if style == "forum":
        return rng.sample(FORUM_DUP, k), lambda: forum_header(rng)
    if style == "products":
        tags = ["熱銷", "限時", "新品", "現貨", "下殺"]
        pool = [f"【{rng.choice(tags)}】{p} 特價 ${rng.randrange(99, 2000)}" for p in rng.sample(PRODUCTS, k)]
        return pool, lambda: rng.choice(["加入購物車", "看更多", f"已售出 {rng.randrange(10, 5000)} 件"])
    # "scroll": a law title + article caught again and again by an infinite-scroll scraper
    head, body = rng.choice(laws.articles)
    pool = [rng.choice(laws.titles), head, body, rng.choice(["載入更多", "看更多", "下一則"]), rng.choice(laws.sentences)]
    return pool[:k], lambda: rng.choice(WEB_LINES)


def gen_repeated_lines(rng, laws, target, style):
    """A small block of distinct lines copied over and over, with a few unique lines between."""
    k_max = 5
    while True:
        k_min = 3 if style == "scroll" and target > 600 else 1
        block, filler = repeated_line_pool(rng, laws, style, rng.randint(min(k_min, k_max), k_max))
        p_unique = rng.choice([0.0, 0.05, 0.15, 0.25])
        step = count()

        def piece():
            i = next(step)
            if rng.random() < p_unique:
                return filler()
            return block[i % len(block)] if rng.random() < 0.8 else rng.choice(block)
        text = clip("\n".join(fill(target, piece)))
        if dup_line_fraction(text) >= 0.45 and len(text) >= MIN_CHARS:
            return text
        k_max = max(1, k_max - 1)  # too few lines for this block: use a smaller one


# --------------------------------------------------------------------------------------------
# 2. repeated_paragraphs


def law_paragraph(rng, laws):
    head, body = rng.choice(laws.articles)
    return f"{head}\n{body}" if rng.random() < 0.5 else body


def repeated_paragraph_pool(rng, laws, style, ctx):
    """(the one or two paragraphs to copy, a function giving one unique paragraph) for a style."""
    if style == "law_article":
        main = [law_paragraph(rng, laws) for _ in range(rng.choice([1, 1, 2]))]
        return main, lambda: rng.choice(laws.titles) if rng.random() < 0.5 else law_paragraph(rng, laws)
    if style == "disclaimer":
        main = [fmt(rng.choice(DISCLAIMERS), ctx)]
        if rng.random() < 0.5:
            main.append(fmt(rng.choice(PROMO_PARAS), ctx))
        return main, lambda: "".join(rng.sample(laws.sentences, rng.randint(1, 3)))
    if style == "promo":
        return [fmt(p, ctx) for p in rng.sample(PROMO_PARAS, 2)], lambda: rng.choice(WEB_LINES)
    # "mirror": one paragraph (law sentences run together) copied again and again
    return ["".join(rng.sample(laws.sentences, rng.randint(2, 5)))], lambda: rng.choice(laws.titles)


def gen_repeated_paragraphs(rng, laws, target, style):
    """Paragraphs separated by blank lines, mostly exact copies of one or two paragraphs."""
    ctx = web_context(rng)
    while True:
        main, unique = repeated_paragraph_pool(rng, laws, style, ctx)
        p_unique = rng.choice([0.0, 0.1, 0.2, 0.3])
        parts = fill(target, lambda: unique() if rng.random() < p_unique else rng.choice(main), sep="\n\n")
        parts += [rng.choice(main) for _ in range(3 - len(parts))]
        while len("\n\n".join(parts)) > MAX_CHARS and len(parts) > 3:
            parts.pop()
        text = "\n\n".join(parts)
        if len(text) <= MAX_CHARS and dup_para_fraction(text) >= 0.5:
            return text
        target = max(MIN_CHARS, int(target * 0.8))


# --------------------------------------------------------------------------------------------
# 3. nav_menu


def crumb(rng, trail):
    return rng.choice(CRUMB_PREFIX) + rng.choice(CRUMB_SEPS).join(trail)


def gen_nav_menu(rng, laws, target, style):
    """Menus, category trees, breadcrumbs, site maps: short items, no sentence punctuation."""
    ctx = web_context(rng)
    sep = rng.choice(SEPARATORS)
    bullet = rng.choice(["", "", "・", "- ", "› ", "» ", "＞ ", "• ", "┗ ", "└ "])
    indent = rng.choice(["  ", "    ", "　", ""])

    def submenu(head, items):
        return "\n".join([head] + [indent + bullet + x for x in items])

    def top_bar():
        items = rng.sample(NAV_TOP, rng.randint(5, 12))
        if rng.random() < 0.7:
            items.insert(0, "首頁")
        return sep.join(items)

    def piece():
        if style == "vertical":
            if rng.random() < 0.3:
                head = rng.choice(["關於我們", "最新消息", "產品介紹", "服務項目", "會員中心"])
                sub = {"關於我們": ABOUT_SUB, "最新消息": NEWS_SUB}.get(head) or rng.choice(list(SHOP_CATS.values()))
                return submenu(head, rng.sample(sub, min(len(sub), rng.randint(2, 6))))
            return rng.choice(NAV_TOP)
        if style == "horizontal":
            r = rng.random()
            if r < 0.5:
                return top_bar()
            if r < 0.8:
                return sep.join(rng.sample(NEWS_SECTIONS, rng.randint(6, 14)))
            return sep.join(["隱私權政策", "服務條款", "網站地圖", "聯絡我們", "常見問題"][: rng.randint(3, 5)])
        if style == "breadcrumb":
            cat = rng.choice(list(SHOP_CATS))
            trail = ["首頁", cat, rng.choice(SHOP_CATS[cat])]
            if rng.random() < 0.4:
                trail = ["首頁", rng.choice(["最新消息", "常見問題", "關於我們", "活動專區"]), rng.choice(NEWS_SUB + ABOUT_SUB)]
            if rng.random() < 0.3:
                trail.append(rng.choice(["第 2 頁", "全部", "依價格排序", "熱銷排行", "新品"]))
            return crumb(rng, trail)
        if style == "shop":
            cat = rng.choice(list(SHOP_CATS))
            if rng.random() < 0.25:
                return rng.choice(SHOP_EXTRA)
            subs = rng.sample(SHOP_CATS[cat], min(len(SHOP_CATS[cat]), rng.randint(3, 8)))
            if rng.random() < 0.5:
                return submenu(cat, subs)
            return cat + "：" + sep.join(subs) if rng.random() < 0.5 else cat + sep + sep.join(subs)
        if style == "gov":
            head = rng.choice(list(GOV_MENU))
            subs = GOV_MENU[head] or rng.sample(laws.titles, rng.randint(3, 8))
            if rng.random() < 0.25:
                return rng.choice(GOV_HEAD)
            return submenu(head, rng.sample(subs, min(len(subs), rng.randint(2, 7))))
        if style == "news":
            r = rng.random()
            if r < 0.35:
                return rng.choice(NEWS_SECTIONS)
            if r < 0.55:
                return rng.choice(CITIES)[:2] + rng.choice(["新聞", "生活", "美食", "旅遊"])
            if r < 0.75:
                n = rng.randint(5, 30)
                return rng.choice([f"上一頁 1 2 3 4 5 … {n} 下一頁", f"« 1 2 3 {n} »", "第一頁 上一頁 下一頁 最末頁",
                                   f"共 {n * 10 + rng.randrange(10)} 筆資料 第 1/{n} 頁"])
            return crumb(rng, ["首頁"] + rng.sample(NEWS_SECTIONS, 2))
        # "sitemap": numbered site map
        n = next(section_no)
        head = rng.choice(NAV_TOP)
        subs = rng.sample(ABOUT_SUB + NEWS_SUB + SHOP_EXTRA, rng.randint(2, 5))
        return f"{n}. {head}\n" + "\n".join(f"{indent}{n}-{j + 1} {x}" for j, x in enumerate(subs))
    section_no = count(1)

    head = []
    if style == "gov":
        head = [":::", rng.choice(["跳到主要內容區塊", "跳到主要內容"]), sep.join(rng.sample(GOV_HEAD[2:], 5))]
    elif style == "sitemap":
        head = [rng.choice(["網站地圖", "網站導覽", "Sitemap 網站地圖"]), crumb(rng, ["首頁", "網站地圖"])]
    elif style in ("shop", "news") and rng.random() < 0.6:
        head = [ctx["site"], top_bar()]
    body = fill(max(MIN_CHARS, target - sum(len(x) + 1 for x in head)), piece)
    tail = []
    if rng.random() < 0.5:
        tail = [sep.join(rng.sample(GOV_FOOT if style == "gov" else SITE_FOOT, 4))]
    return clip("\n".join(head + body + tail))


# --------------------------------------------------------------------------------------------
# 4. seo_spam


def seo_keywords(rng):
    """A small, focused vocabulary: 1–2 cities, one topic, a handful of modifiers and years."""
    cities = rng.sample(CITIES, rng.choice([1, 1, 2]))
    topic = rng.choice(list(SEO_TOPICS))
    terms = rng.sample(SEO_TOPICS[topic], min(len(SEO_TOPICS[topic]), rng.randint(2, 4)))
    mods = rng.sample(SEO_MODS, rng.randint(3, 6))
    years = rng.sample(SEO_YEARS, rng.randint(1, 2))

    def kw():
        c, t, m = rng.choice(cities), rng.choice(terms), rng.choice(mods)
        return rng.choice([c + t + m, c + t, t + m, rng.choice(years) + c + t + m, c + t + m + rng.choice(mods),
                           m + c + t, c + " " + t + " " + m, rng.choice(years) + "最新" + c + t])
    return kw, cities, terms, mods, years


def gen_seo_spam(rng, laws, target, style):
    """Keyword stuffing: the same few keywords in long runs, with little or no grammar."""
    kw, cities, terms, mods, years = seo_keywords(rng)
    if style == "space_run":
        sep = rng.choice([" ", " ", "　", "  "])
        parts = fill(target, lambda: sep.join(kw() for _ in range(rng.randint(6, 25))))
    elif style == "comma_run":
        sep = rng.choice(["，", ",", "、", ", ", "；"])
        parts = fill(target, lambda: sep.join(kw() for _ in range(rng.randint(8, 30))))
    elif style == "hashtags":
        parts = fill(target, lambda: " ".join("#" + kw().replace(" ", "") for _ in range(rng.randint(5, 15))))
    elif style == "ngram":
        def run():
            w = rng.choice(terms + mods + cities + ["好", "讚", "推", "便宜", "優惠", "免費"])
            piece = w * rng.randint(3, 10)
            if rng.random() < 0.4:
                piece += rng.choice(["！！！", "!!!!!", "～～～", "", "↑↑↑", "!!!!!!!!"])
            return piece if rng.random() < 0.6 else piece + " " + kw()
        parts = fill(target, lambda: " ".join(run() for _ in range(rng.randint(2, 6))))
    elif style == "title_stuff":
        bar = rng.choice(["｜", "|", " | ", "－", "-", "_"])

        def line():
            if rng.random() < 0.3:
                sep = rng.choice(["、", " ", "，"])
                return rng.choice(SEO_HEADS) + sep.join(kw() for _ in range(rng.randint(5, 12)))
            return bar.join(kw() for _ in range(rng.randint(3, 7)))
        parts = fill(target, line)
    else:  # "lead_in": one headline sentence, then the stuffing
        lead = rng.choice(SEO_LEADS).format(kw=kw(), kw2=kw(), kw3=kw(), year=rng.choice(years))
        sep = rng.choice([" ", "，", "、"])
        parts = [lead] + fill(max(10, target - len(lead)), lambda: sep.join(kw() for _ in range(rng.randint(8, 20))))
    return clip("\n".join(parts))


# --------------------------------------------------------------------------------------------
# 5. gibberish_han

RANDOM_PUNCT = list("，。、；：！？「」（）…—") + ["，", "，", "。", "、"]


def gen_gibberish_han(rng, laws, target, style):
    """Han characters drawn at random from the laws' distribution (or uniformly from its set)."""
    uniform = style == "uniform"
    chars = list(laws.han(rng, target, uniform=uniform))
    if style in ("punct", "punct_lines", "uniform"):
        rate = rng.uniform(0.03, 0.10)
        for i in range(1, len(chars)):
            if rng.random() < rate:
                chars[i] = rng.choice(RANDOM_PUNCT)
    if style in ("lines", "punct_lines", "uniform"):
        short = rng.random() < 0.5
        for i in range(1, len(chars) - 1):
            if rng.random() < (rng.uniform(0.05, 0.3) if short else 0.02):
                chars[i] = "\n"
    return "".join(chars).strip()


# --------------------------------------------------------------------------------------------
# 6. symbols_noise


BOX_STYLES = [("┌", "─", "┐", "│", "├", "┤", "└", "┘"), ("╔", "═", "╗", "║", "╠", "╣", "╚", "╝"),
              ("┏", "━", "┓", "┃", "┣", "┫", "┗", "┛"), ("+", "-", "+", "|", "+", "+", "+", "+"),
              ("╭", "─", "╮", "│", "├", "┤", "╰", "╯")]


def display_width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def sym_run(rng, n=None):
    return rng.choice(SYM_UNITS) * (n or rng.randint(3, 24))


def gen_symbols_noise(rng, laws, target, style):
    """Lines of symbols, emoji, box drawing and ASCII art, a few words between."""
    def word():
        return rng.choice(SYM_WORDS)

    def piece():
        if style == "banner":
            u = rng.choice(SYM_UNITS)
            n = rng.randint(3, 14)
            return rng.choice([u * n + " " + word() + " " + u * n, u * (n * 2),
                               rng.choice(SYM_RAMPS) * rng.randint(1, 3),
                               rng.choice(["═", "─", "━", "=", "-", "*"]) * rng.randint(20, 50)])
        if style == "emoji":
            e = rng.sample(EMOJI, rng.randint(1, 4))
            line = "".join(rng.choice(e) for _ in range(rng.randint(3, 18)))
            if rng.random() < 0.25:
                line = rng.choice(["👉👉👉 ", "🔥🔥 ", "📢 "]) + word() + " " + line
            return line
        if style == "box":
            w = rng.randint(8, 30)
            tl, h, tr, v, ml, mr, bl, br = rng.choice(BOX_STYLES)
            rows = [tl + h * w + tr]
            for _ in range(rng.randint(1, 4)):
                inner = word() if rng.random() < 0.35 else ""
                pad = max(0, w - display_width(inner))
                rows.append(v + " " * (pad // 2) + inner + " " * (pad - pad // 2) + v)
                if rng.random() < 0.3:
                    rows.append(ml + h * w + mr)
            rows.append(bl + h * w + br)
            return "\n".join(rows)
        if style == "ascii_art":
            r = rng.random()
            if r < 0.35:
                return "\n".join(rng.choice(ASCII_ART))
            if r < 0.7:
                return " ".join(rng.choice(KAOMOJI) for _ in range(rng.randint(1, 4)))
            return rng.choice(["* " * rng.randint(5, 20), "#" * rng.randint(10, 40), "~" * rng.randint(10, 40),
                               "=-" * rng.randint(5, 20), "o0O0o" * rng.randint(2, 6)]).strip()
        # "dividers": separator lines with bullet markers
        r = rng.random()
        if r < 0.5:
            return sym_run(rng) + (sym_run(rng) if rng.random() < 0.5 else "")
        if r < 0.8:
            b = rng.choice(["■", "□", "●", "○", "◆", "◇", "▶", "►", "✔", "※", "☆", "→"])
            return " ".join(b for _ in range(rng.randint(4, 20)))
        return rng.choice(["■", "●", "◆", "▶", "★", "➤"]) + " " + word() + " " + sym_run(rng, rng.randint(8, 30))

    while True:
        text = clip("\n".join(fill(target, piece))).strip()
        if word_char_share(text) <= 0.3 and len(text) >= MIN_CHARS:
            return text


# --------------------------------------------------------------------------------------------
# 7. boilerplate


def cookie_block(rng, ctx):
    out = [fmt(rng.choice(COOKIE_BANNERS), ctx)]
    out.append(rng.choice([" ", "　", " | "]).join(rng.sample(COOKIE_BUTTONS, rng.randint(2, 4))))
    if rng.random() < 0.5:
        out.append(rng.choice(["Cookie 偏好設定", "管理 Cookie 偏好設定", "隱私權偏好設定中心"]))
        out.extend(rng.sample(COOKIE_PREFS, rng.randint(2, len(COOKIE_PREFS))))
        out.append(rng.choice(["儲存設定", "全部接受", "確認我的選擇"]))
    return out


def policy_block(rng, ctx, sections, title, intro):
    num = rng.choice(["一二三四五六七八九十", "1234567890"])
    secs = rng.sample(sections, rng.randint(min(3, len(sections)), len(sections)))
    out = [fmt(title, ctx)]
    if rng.random() < 0.6:
        out.append(fmt(intro, ctx))
    for i, (h, body) in enumerate(secs):
        mark = num[i % 10] + ("、" if num[0] == "一" else ". ")
        out.append(mark + h)
        out.append(fmt(body, ctx))
    return out


def footer_block(rng, ctx):
    lines = rng.sample(FOOTER_LINES, rng.randint(5, 14))
    if not any("©" in x or "版權" in x for x in lines):
        lines.append(rng.choice(FOOTER_LINES[:3]))
    rng.shuffle(lines)
    return [fmt(x, ctx) for x in lines]


def gen_boilerplate(rng, laws, target, style):
    """Cookie banners, privacy policies, terms, login walls and footers; nothing else."""
    ctx = web_context(rng)
    if style == "cookie":
        out = cookie_block(rng, ctx)
        while len("\n".join(out)) < target:
            out += cookie_block(rng, ctx) if rng.random() < 0.4 else footer_block(rng, ctx)
    elif style == "privacy":
        out = policy_block(rng, ctx, PRIVACY_SECTIONS, rng.choice(["隱私權政策", "隱私權保護政策", "{site}隱私權聲明"]),
                           "{site}（以下簡稱本網站）非常重視您的隱私權，請詳細閱讀下列內容：")
        if len("\n".join(out)) < target:
            out += footer_block(rng, ctx)
    elif style == "terms":
        out = policy_block(rng, ctx, TERMS_SECTIONS, rng.choice(["服務條款", "會員服務條款", "使用條款及免責聲明"]),
                           "使用{site}各項服務前，請您詳細閱讀以下條款：")
        if len("\n".join(out)) < target:
            out += footer_block(rng, ctx)
    elif style == "login_wall":
        out = rng.sample(LOGIN_LINES, rng.randint(8, len(LOGIN_LINES)))
        while len("\n".join(out)) < target:
            out += footer_block(rng, ctx) if rng.random() < 0.6 else cookie_block(rng, ctx)
    else:  # "footer"
        out = footer_block(rng, ctx)
        while len("\n".join(out)) < target:
            out += footer_block(rng, ctx) if rng.random() < 0.5 else rng.sample(LOGIN_LINES, rng.randint(3, 8))
    text = "\n".join(out)
    # Long policies are trimmed to the target (at a line break), short ones are as long as they are.
    return clip(text, min(MAX_CHARS, max(target, MIN_CHARS) + 200))


# --------------------------------------------------------------------------------------------
# 8. mojibake

def _sloppy_table(codec):
    """Byte → character as a browser decodes `codec`: undefined cp1252 bytes fall back to latin-1."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return out


CP1252 = _sloppy_table("cp1252")
LATIN1 = _sloppy_table("latin-1")


def misdecode(text, table, encoding="utf-8"):
    """Encode text properly, then decode each byte as if it were a single-byte code page."""
    raw = text.encode(encoding, errors="replace")
    return "".join(table[b] if b >= 0x80 else chr(b) for b in raw)


# Characters that UTF-8 or Big5 bytes turn into under cp1252 / latin-1, and U+FFFD.
MOJI_CHARS = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                        r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd]")


def mojibake_share(text):
    non_space = [c for c in text if not c.isspace()]
    return len(MOJI_CHARS.findall(text)) / max(1, len(non_space))


def mojibake_ok(text):
    return MIN_CHARS <= len(text) <= MAX_CHARS and mojibake_share(text) >= 0.3 and han_share(text) <= 0.35


def gen_mojibake(rng, laws, target, style):
    """Law text damaged by a wrong decoder: cp1252/latin-1, Big5 as cp1252, double, partial, U+FFFD."""
    while True:
        text = _mojibake(rng, laws, target, style).strip()
        if mojibake_ok(text):
            return text
        if len(text) < MIN_CHARS:
            target += 20


def _mojibake(rng, laws, target, style):
    if style == "utf8_cp1252":
        return clip(misdecode(laws.excerpt(rng, max(40, target // 3)), CP1252))
    if style == "utf8_latin1":
        return clip(misdecode(laws.excerpt(rng, max(40, target // 3)), LATIN1))
    if style == "big5_cp1252":
        return clip(misdecode(laws.excerpt(rng, max(50, target // 2)), CP1252, "cp950"))
    if style == "double":
        once = misdecode(laws.excerpt(rng, max(20, target // 6)), CP1252)
        return clip(misdecode(once, CP1252))
    if style == "partial":
        # line by line: 60–90 % of the lines misdecoded, the rest intact
        src = laws.excerpt(rng, max(60, target // 2))
        share = rng.uniform(0.6, 0.9)
        table = rng.choice([CP1252, LATIN1])
        lines = src.split("\n")
        return clip("\n".join(misdecode(x, table) if x and rng.random() < share else x for x in lines))
    if style == "fffd_big5":
        # a Big5 page read as UTF-8: nearly every Han character becomes one or two U+FFFD
        src = laws.excerpt(rng, max(60, target // 2))
        return clip(src.encode("cp950", errors="replace").decode("utf-8", errors="replace"))
    # "fffd_lossy": transcoding that lost most Han characters (U+FFFD, sometimes '?')
    src = laws.excerpt(rng, max(60, target))
    share = rng.uniform(0.7, 0.97)
    repl = rng.choice(["\ufffd", "\ufffd", "\ufffd\ufffd", "?"])
    text = "".join(repl if is_han(c) and rng.random() < share else c for c in src)
    if repl == "?":  # keep the U+FFFD promise: a lossy page often mixes both
        text = "".join("\ufffd" if c == "?" and rng.random() < 0.5 else c for c in text)
    return clip(text)


GENERATORS = {
    "repeated_lines": (gen_repeated_lines, ["law", "web", "forum", "products", "scroll"]),
    "repeated_paragraphs": (gen_repeated_paragraphs, ["law_article", "disclaimer", "promo", "mirror"]),
    "nav_menu": (gen_nav_menu, ["vertical", "horizontal", "breadcrumb", "shop", "gov", "news", "sitemap"]),
    "seo_spam": (gen_seo_spam, ["space_run", "comma_run", "hashtags", "ngram", "title_stuff", "lead_in"]),
    "gibberish_han": (gen_gibberish_han, ["plain", "punct", "lines", "punct_lines", "uniform"]),
    "symbols_noise": (gen_symbols_noise, ["banner", "emoji", "box", "ascii_art", "dividers"]),
    "boilerplate": (gen_boilerplate, ["cookie", "privacy", "terms", "login_wall", "footer"]),
    "mojibake": (gen_mojibake, ["utf8_cp1252", "utf8_latin1", "big5_cp1252", "double", "partial", "fffd_big5",
                                "fffd_lossy"]),
}

# --------------------------------------------------------------------------------------------
# build and validate


def build(laws):
    """Records (with a private `_style` key, not written) in category order."""
    records = []
    for cat in CATEGORIES:
        gen, styles = GENERATORS[cat]
        rng = Random(f"{SEED}/{cat}")
        sizes = target_lengths(rng)
        order = styles_for(rng, styles)
        for i, (size, style) in enumerate(zip(sizes, order), 1):
            text = gen(rng, laws, size, style)
            records.append({"id": f"junk-{cat}-{i:03d}", "text": text, "label": cat, "_style": style})
    return records


SENTENCE_END = re.compile(r"[。！？!?]$")
BOILER_MARKS = ["cookie", "隱私", "個人資料", "本網站", "偏好設定", "版權所有", "©", "登入", "註冊", "服務條款", "免責聲明",
                "all rights reserved", "回到頂端", "訂閱", "忘記密碼", "會員", "javascript"]


def lint(records):
    """The promises of the README; any failure stops the generator."""
    problems = []
    ids = Counter(r["id"] for r in records)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    texts = Counter(r["text"] for r in records)
    problems += [f"duplicate text in {r['id']}" for r in records if texts[r["text"]] > 1]
    for r in records:
        t, cat, rid = r["text"], r["label"], r["id"]
        if not MIN_CHARS <= len(t) <= MAX_CHARS:
            problems.append(f"{rid}: length {len(t)}")
        if t != t.strip():
            problems.append(f"{rid}: leading/trailing white space")
        lines = [x.strip() for x in t.split("\n") if x.strip()]
        if cat == "repeated_lines" and dup_line_fraction(t) < 0.4:
            problems.append(f"{rid}: duplicate-line fraction {dup_line_fraction(t):.2f}")
        elif cat == "repeated_paragraphs" and (len(paragraphs(t)) < 3 or dup_para_fraction(t) < 0.5):
            problems.append(f"{rid}: duplicate-paragraph fraction {dup_para_fraction(t):.2f}")
        elif cat == "nav_menu":
            ended = sum(bool(SENTENCE_END.search(x)) for x in lines)
            if ended or "。" in t:
                problems.append(f"{rid}: sentence punctuation in a menu")
            if statistics.mean(len(x) for x in lines) > 60:
                problems.append(f"{rid}: long menu lines")
        elif cat == "seo_spam" and dup_ngram_char_fraction(t) < 0.5:
            problems.append(f"{rid}: duplicate 4-gram fraction {dup_ngram_char_fraction(t):.2f}")
        elif cat == "gibberish_han" and han_share(t) < 0.85:
            problems.append(f"{rid}: Han share {han_share(t):.2f}")
        elif cat == "symbols_noise" and word_char_share(t) > 0.3:
            problems.append(f"{rid}: word-character share {word_char_share(t):.2f}")
        elif cat == "boilerplate" and sum(m in t.lower() for m in BOILER_MARKS) < 2:
            problems.append(f"{rid}: too few boilerplate markers")
        elif cat == "mojibake" and not mojibake_ok(t):
            problems.append(f"{rid}: mojibake share {mojibake_share(t):.2f}, Han share {han_share(t):.2f}")
    if problems:
        raise SystemExit("make_junk.py: lint failed:\n  " + "\n  ".join(problems[:50]))


def dump(records):
    return "".join(json.dumps({k: r[k] for k in ("id", "text", "label")}, ensure_ascii=False) + "\n"
                   for r in records).encode("utf-8")


# --------------------------------------------------------------------------------------------
# README


def readme(records, data):
    rows = []
    for cat in CATEGORIES:
        rs = [r for r in records if r["label"] == cat]
        lens = [len(r["text"]) for r in rs]
        nbytes = sum(len((json.dumps({k: r[k] for k in ("id", "text", "label")}, ensure_ascii=False) + "\n")
                         .encode("utf-8")) for r in rs)
        styles = Counter(r["_style"] for r in rs)
        style_txt = ", ".join(f"{s} {styles[s]}" for s in GENERATORS[cat][1])
        rows.append(f"| `{cat}` | {len(rs)} | {min(lens)} / {int(statistics.median(lens))} / {max(lens)} | "
                    f"{nbytes:,} | {style_txt} |")
    total_chars = sum(len(r["text"]) for r in records)
    sha = hashlib.sha256(data).hexdigest()
    return f"""# fixtures/quality — labelled junk for the Chinese quality filters

`junk.jsonl`: {len(records)} synthetic junk documents, {PER_CATEGORY} in each of {len(CATEGORIES)} categories, every one of
which a web-corpus quality filter (Gopher/C4-style rules, adapted to Chinese characters) should
drop. There are **no clean documents** in this file: pair it with real text (the laws sample, the
demo essays) for the keep side. Generated by `benches/quality/make_junk.py`; do not edit by hand.

| file | lines | bytes | characters of `text` | sha256 |
|---|---:|---:|---:|---|
| `junk.jsonl` | {len(records)} | {len(data):,} | {total_chars:,} | `{sha}` |

## Record format

```json
{{"id": "junk-seo_spam-007", "text": "…", "label": "seo_spam"}}
```

`id` is `junk-<category>-NNN` (NNN = 001…{PER_CATEGORY:03d}), `label` is the category. Lines are in category order,
then by number. Lengths are in Unicode code points; `\\n` separates lines, `\\n\\n` paragraphs.

## Categories

| label | docs | chars min / median / max | bytes | styles (docs each) |
|---|---:|---|---:|---|
{chr(10).join(rows)}

Target lengths are spread over {MIN_CHARS}–{MAX_CHARS} characters on a log scale (one per stratum, so every
category has both very short and long documents), then trimmed at a line break.

* **`repeated_lines`** — a block of 1–5 distinct lines copied over and over (at most a quarter of
  the lines unique): law sentences (`law`), web phrases such as 加入購物車, 分享到 LINE (`web`),
  forum replies 推 / 感謝分享 / 回覆 引用 檢舉 with unique post headers (`forum`), product rows
  (`products`), a law title and article caught repeatedly by an infinite-scroll scraper (`scroll`).
  Guaranteed: ≥ 40 % of the non-blank lines are duplicates (1 − distinct / total).
* **`repeated_paragraphs`** — paragraphs separated by blank lines, mostly copies of one or two
  paragraphs: law articles (`law_article`), a disclaimer between one-off paragraphs
  (`disclaimer`), two promotion paragraphs (`promo`), one paragraph of law sentences mirrored
  (`mirror`). Guaranteed: ≥ 3 paragraphs and ≥ 50 % of them duplicates.
* **`nav_menu`** — menus and navigation only: vertical menus with sub-items, horizontal bars with
  separators (| ｜ / ・ » › ＞ → …), breadcrumbs (首頁 > 3C 家電 > 耳機), e-commerce category trees,
  a government-site skeleton (:::, 跳到主要內容區塊, 字級設定, and law titles from the sample as
  the 法令規章 sub-menu), news sections with pagination, numbered site maps. Guaranteed: no line
  ends in sentence punctuation, no 「。」 anywhere, mean line length ≤ 60.
* **`seo_spam`** — keyword stuffing over a small vocabulary per document (1–2 cities, one topic
  such as 住宿 / 搬家 / 借貸 / 植牙, 3–6 modifiers 推薦 便宜 優惠 最新 CP值 PTT …, years
  2023–2025): runs separated by spaces or commas, hashtags, title stuffing with ｜, repeated
  character n-grams (推薦推薦推薦), a one-sentence lead followed by stuffing. Guaranteed: ≥ 50 %
  of the word characters lie in a character 4-gram that occurs more than once (Gopher's
  duplicate n-gram fraction, on characters).
* **`gibberish_han`** — Han characters drawn independently from the Han-character frequency
  distribution of the laws sample (`uniform`: uniformly from its character set), so unigram
  statistics look like real text but nothing else does: no punctuation (`plain`), random
  punctuation at 3–10 % of positions (`punct`), random line breaks (`lines`), both
  (`punct_lines`, `uniform`). Guaranteed: ≥ 85 % of non-space characters are Han.
* **`symbols_noise`** — banners (★☆★ 限時優惠 ★☆★), emoji rows, box drawing frames, ASCII art and
  kaomoji, separator lines and bullet rows, with a few words (公告, 限時, SALE …). Guaranteed:
  ≤ 30 % of non-space characters are letters or digits (Unicode L*/N*, Han included).
* **`boilerplate`** — whole documents of boilerplate: cookie banners and preference dialogs,
  privacy policies (隱私權政策), terms of service (服務條款 / 免責聲明), login walls (請先登入會員,
  忘記密碼？), footers (版權所有 © 2024 …, All rights reserved., 回到頂端, 訂閱電子報, the
  JavaScript notice of government sites). Full sentences with punctuation, so only content rules
  (C4's cookie / privacy-policy / javascript lines) or boilerplate classifiers catch these.
  Guaranteed: ≥ 2 boilerplate markers per document.
* **`mojibake`** — law excerpts damaged by a wrong decoder: UTF-8 read as cp1252 (`å¤§`, with
  the 5 undefined cp1252 bytes kept as C1 controls, as browsers do) or latin-1 (C1 controls
  U+0080–U+009F appear); Big5 (cp950) read as cp1252 (`¤¤µØ¥Á°ê`); double mojibake (`Ã¥Â¤Â§`);
  partial (60–90 % of the lines damaged, the rest intact); a Big5 page read as UTF-8
  (U+FFFD for nearly every character, `fffd_big5`); a lossy transcoding where 70–97 % of the Han
  characters became U+FFFD, U+FFFD U+FFFD or `?` (`fffd_lossy`). Guaranteed: ≥ 30 % of non-space
  characters are Latin-1 / cp1252 mojibake characters or U+FFFD, and ≤ 35 % are Han. The
  C1 control characters are real characters of `text` (JSON does not escape them).

The guarantees are checked by the generator (`lint`) on every run; they are properties of the
data, not the thresholds a filter should use.

## Provenance and licence

* **Law text** (sentences, articles, titles, the Han-character distribution, the mojibake
  sources) is from `shared/data/tw-laws/sample-200.jsonl` (sha256
  `{LAWS_SHA256}`, checked by the generator), the R.O.C. (Taiwan)
  national law database (全國法規資料庫, 法務部, https://law.moj.gov.tw, snapshot 2024-10-11) as
  described in `shared/data/README.md`: the text of laws cannot be the subject of copyright
  (著作權法 art. 9), and the records are tagged **OGDL-Taiwan-1.0** (政府資料開放授權條款－第1版).
  Attribution: 「法務部 全國法規資料庫 2024 法規資料（2024-10-11 版）。此開放資料依政府資料開放授權條款
  (Open Government Data License) 進行公眾釋出，使用者於遵守本條款各項規定之前提下，得利用之。
  政府資料開放授權條款：https://data.gov.tw/license」
* **Everything else** — web phrases, menus, keywords, cookie / privacy / terms / login / footer
  texts, site and company names — was written for this project. Names such as 晨光生活館 are
  random combinations of common words; any resemblance to a real business is coincidence. E-mail
  addresses use only reserved `example.*` domains; there are no phone numbers, ID numbers or
  addresses.
* The file itself: **CC-BY-4.0**, © sovereign-corpus contributors (the law text keeps its
  OGDL-Taiwan-1.0 attribution above).

## Regenerate

```sh
python3 benches/quality/make_junk.py            # writes fixtures/quality/junk.jsonl and this README
python3 benches/quality/make_junk.py --check    # regenerates in memory; exit 1 if either file differs
```

Needs Python ≥ 3.11 (standard library only; seeded `random.Random("{SEED}/<category>")`, so the
output is byte-identical on every machine) and the laws sample, by default at
`../shared/data/tw-laws/sample-200.jsonl` from the repository root (`--laws PATH` otherwise; its
sha256 is checked).
"""


# --------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--laws", default=DEFAULT_LAWS,
                    help=f"laws sample JSONL (default {DEFAULT_LAWS}, relative to the repository root)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory; exit 1 if a committed file differs")
    args = ap.parse_args()
    path = args.laws if os.path.isabs(args.laws) else os.path.join(REPO, args.laws)
    if not os.path.exists(path) and os.path.exists(args.laws):
        path = args.laws  # a path relative to the current directory
    if not os.path.exists(path):
        sys.exit(f"make_junk.py: laws sample not found at {path}; use --laws PATH")
    laws = Laws(read_laws(path))
    records = build(laws)
    lint(records)
    data = dump(records)
    doc = readme(records, data).encode("utf-8")
    fixture_tools.write_or_check("make_junk.py", ((OUT_JSONL, data), (OUT_README, doc)), args.check)
    counts = Counter(r["label"] for r in records)
    print(f"wrote {os.path.relpath(OUT_JSONL, REPO)}: {len(records)} lines, {len(data):,} bytes "
          f"({', '.join(f'{c} {counts[c]}' for c in CATEGORIES)}); and {os.path.relpath(OUT_README, REPO)}")


if __name__ == "__main__":
    main()
