# `corpus validate` 的訊息，以及 `corpus run` 回報的貢獻資料錯誤（臺灣正體中文）。
# 與 en.ftl 的訊息 id 必須一一對應（有一邊缺少時測試會失敗）。
# Project Fluent 語法：https://projectfluent.org/fluent/guide/ ；`{ $name }` 是參數，
# 大括號本身要寫成 {"{"} 與 {"}"}。`.hint` 是「怎麼修正」的說明。

## 報告的框架

label-valid = 通過
label-invalid = 未通過
label-licence = 授權
label-file = 檔案
label-pii = 個人資料
label-script = 繁簡字
location-line = { $file } 第 { $line } 行
location-row = { $file } 第 { $row } 列（列號從 0 開始算）
location-field = { $place }的「{ $field }」欄位
location-field-only = 「{ $field }」欄位
report-header = { $verdict } { $dir }（ID：{ $id }）
report-header-no-id = { $verdict } { $dir }
hint-line = 提示：{ $text }
detail-line = 技術細節（可轉給資訊人員）：{ $text }
sev-error = 錯誤
sev-warning = 警告
sev-note = 備註
licence-line = { $expression } → { $tier }（規則 `{ $rule }`）
licence-line-alias = { $expression } = { $canonical } → { $tier }（規則 `{ $rule }`）
file-line = { $file }：{ $documents } 份文件{ $bad ->
        [0] {""}
       *[other] ，{ $bad } 筆無法讀取
    }{ $drop ->
        [0] {""}
       *[other] ，預計剔除 { $drop } 份
    }{ $simplified ->
        [none] {""}
       *[other] ，簡體字占 { $simplified }%
    }
files-hidden = 有 { $count } 個檔案沒有問題（共 { $documents } 份文件；執行時加上 --verbose 可逐一列出這些檔案）
pii-line = { $list }（只列數量；處理時會自動遮蔽）
script-line = 在繁簡寫法不同的字中，簡體字占 { $percent }%
summary = { $total } 份貢獻資料中有 { $ok } 份通過
summary-strict = （--strict：預計剔除的文件與警告都視為錯誤）

tier-public = 公開
tier-public-share-alike = 公開（只收在「相同方式分享」的分片中）
tier-restricted = 限制使用（僅供訓練）
tier-excluded = 不納入

## 資料夾與 contribution.toml

dir-not-found = 找不到 { $dir }
    .hint = 請確認路徑是否正確：請在存放貢獻資料的資料夾中執行指令，或輸入資料夾的完整路徑（例如 D:\語料\法規資料）
dir-is-a-file = { $dir } 是檔案，不是資料夾
    .hint = 請改為指定存放 contribution.toml 與資料檔的「資料夾」，不要指定資料夾裡的檔案
manifest-missing = 這個資料夾裡沒有 contribution.toml
    .hint = 請執行 `corpus init <資料夾>`，它會依資料夾內的檔案產生一份 contribution.toml；再打開這個檔案，填寫標有 TODO 的項目
manifest-missing-near = 這個資料夾裡沒有 contribution.toml，但有 { $found }
    .hint = 請把檔名改成 contribution.toml，一字不差（Windows 預設會隱藏副檔名，檔案可能其實叫 contribution.toml.txt：請在檔案總管中，Windows 11 選「檢視 → 顯示 → 副檔名」，Windows 10 在「檢視」索引標籤勾選「副檔名」）
manifest-unreadable = 無法讀取 contribution.toml：{ $detail }
    .hint = 請確認 contribution.toml 是一般的檔案（不是捷徑或資料夾），而且您有權限開啟
manifest-big5 = contribution.toml 是以 Big5 編碼儲存，不是 UTF-8
    .hint = 請改存為 UTF-8：在記事本中選「檔案 → 另存新檔」，編碼選 UTF-8
manifest-not-utf8 = contribution.toml 不是 UTF-8 文字檔
    .hint = 請改存為 UTF-8（不要用 UTF-16 或 Big5）：在記事本中選「檔案 → 另存新檔」，編碼選 UTF-8
manifest-lookalike = 這一行用了 { $char }，這裡必須改用半形的 { $ascii }
    .hint = Word 等文書處理軟體和中文輸入法常會自動把引號和符號換成全形或彎引號：請把輸入法切換成英數或半形模式再輸入（微軟注音：按 Shift 切換中／英，按 Shift+空白鍵 切換全形／半形），或改用記事本編輯這個檔案
manifest-unquoted = 文字內容必須用半形雙引號括起來（{ $detail }）
    .hint = 請在文字前後加上半形雙引號，例如 title = "全國法規資料庫"
manifest-syntax = 這一行的寫法不正確（contribution.toml 採用 TOML 格式）：{ $detail }
    .hint = 每一行的寫法是「欄位名稱 = 內容」，例如 title = "全國法規資料庫"；文字要放在半形雙引號 " " 內，日期寫成 2026-03-01，清單放在半形方括號 [ ] 內，項目之間用半形逗號隔開
manifest-unknown-key = contribution.toml 不能使用 `{ $key }` 這個欄位名稱
    .hint = 請刪除這一行，或修正拼字；可以使用的欄位有：{ $known }
manifest-unknown-key-near = contribution.toml 不能使用 `{ $key }` 這個欄位名稱；是不是拼錯了，應該是 `{ $near }`？
    .hint = 請把欄位名稱改成 `{ $near }`
manifest-missing-key = 缺少 `{ $key }` 欄位
    .hint = 請加上一行，例如：{ $example }
manifest-wrong-type = `{ $key }` 必須是{ $expected_id ->
        [type-text] 放在半形雙引號內的文字
        [type-text-list] 文字清單，例如 ["data/*.jsonl"]
        [type-table] 一個區段：先單獨寫一行 [agreement]，再在它下面逐行寫出其中的欄位
       *[type-date] 日期，例如 2026-03-01（不加引號）
    }，目前寫成的是{ $found_id ->
        [type-text] 文字
        [type-number] 數字
        [type-boolean] true 或 false
        [type-date] 日期
        [type-list] 清單
       *[type-table] 區段
    }
    .hint = 文字放在 "雙引號" 內，日期寫成 2026-03-01 且不加引號，清單放在 [方括號] 內
manifest-quoted-date = `{ $key }` 是日期，卻加了引號（"{ $value }"）
    .hint = 請拿掉引號：{ $key } = { $value }
manifest-empty = `{ $key }` 尚未填寫
    .hint = 請填寫：使用這份資料的人會看到這項資訊
manifest-bad-id = id `{ $id }` 不符合規定：只能使用小寫英文字母 a-z、數字 0-9 和連字號 -，長度 1 到 64 個字元，而且不能以 - 開頭
    .hint = 請只用小寫英文字母、數字和連字號（-），不要用中文、空格或大寫字母，例如 id = "moj-laws-2024"
manifest-bad-id-suggest = id `{ $id }` 不符合規定：只能使用小寫英文字母 a-z、數字 0-9 和連字號 -，長度 1 到 64 個字元，而且不能以 - 開頭
    .hint = 請寫成 id = "{ $suggestion }"
manifest-bad-visibility = visibility 只能填 "public" 或 "private"，目前填的是 "{ $value }"
    .hint = "public"：資料可以公開；"private"：依貢獻協議提供，僅供訓練使用
manifest-no-files = `files` 沒有列出任何檔案
    .hint = 請列出資料檔；也可以用檔名樣式一次列出多個檔案，* 代表任意文字，例如 files = ["data/*.jsonl"] 代表 data 資料夾中所有 .jsonl 檔
manifest-bad-date = `{ $key }` 只能填日期，不能含時間（{ $value }）
    .hint = 請只寫日期，例如 2026-03-01
manifest-expires-before-signed = 協議的到期日（{ $expires }）早於簽署日（{ $signed }）
    .hint = 請檢查 [agreement] 底下的 signed（簽署日）與 expires（到期日）兩個日期
manifest-needs-agreement = 非公開（private）的貢獻資料必須有 [agreement] 區段
    .hint = 請在檔案最後另起一行寫 [agreement]，並在它下面逐行寫入 id = "…"（協議編號）與 signed = 2026-03-01（簽署日）；協議若有期限，再加一行 expires = 2028-12-31（到期日）
duplicate-contribution = 另一份貢獻資料 { $other } 也使用 id `{ $id }`
    .hint = 每份貢獻資料都要有自己的 id；重複時，處理流程會略過後面那一份

## 授權

licence-alias = 授權「{ $written }」會視同 { $canonical } 處理
    .hint = 建議改寫成 licence = "{ $canonical }"，意思最明確
licence-unknown = 授權清單中沒有「{ $licence }」
    .hint = 這份貢獻資料可以使用的授權：{ $admissible }
licence-unknown-near = 授權清單中沒有「{ $licence }」；是否應為 { $near }？
    .hint = 這份貢獻資料可以使用的授權：{ $admissible }
licence-refused = 以「{ $licence }」授權的資料無法納入語料：{ $because }（規則 `{ $rule }`）
    .hint = 請詢問著作權人，能否改用下列任一授權提供：{ $admissible }
agreement-open-ended = 協議沒有填寫到期日：資料會持續使用，直到您撤回為止
    .hint = 協議若有期限，請在 [agreement] 底下加上 expires = YYYY-MM-DD

rule-withdrawn = 貢獻者已撤回這份文件或整份貢獻資料
rule-agreement_expired = 貢獻協議在處理日之前已到期
rule-licence_unknown = 授權清單中沒有這個授權，無從得知其條款內容
rule-invalid_expression = 這不是授權名稱，也不是有效的 SPDX 授權代碼（例如 CC-BY-4.0，或 MIT OR Apache-2.0 這類組合）
rule-no_rule_matched = 本語料的收錄規則中，沒有任何一條允許這個授權
rule-training_not_permitted = 這個授權不允許用於訓練
rule-training_unknown = 授權條款沒有明定是否允許用於訓練
rule-private_contribution = 非公開的貢獻資料依貢獻協議僅供訓練使用，一律不公開
rule-non_commercial = 這個授權禁止商業利用，而以本語料訓練的模型可能用於商業用途
rule-commercial_not_permitted = 這個授權不允許商業利用，而以本語料訓練的模型可能用於商業用途
rule-commercial_unknown = 授權條款沒有明定是否允許商業利用
rule-non_commercial_unknown = 授權條款沒有明定是否僅限非商業用途
rule-training_only_unknown = 授權條款沒有明定是否僅限用於訓練
rule-training_only = 這個授權只允許用於 AI 訓練，因此採用這個授權的文件一律不公開
rule-no_derivatives_unknown = 授權條款沒有明定是否允許散布改作後的內容
rule-no_derivatives = 經過清理與斷詞的語料分片屬於改作，而這個授權不允許散布改作後的內容，因此僅供訓練使用
rule-derived_shards_unknown = 授權條款沒有明定是否允許公開由資料處理而成的語料分片
rule-derived_shards_not_permitted = 這個授權允許用於訓練，但不允許公開由資料處理而成的語料分片，因此僅供訓練使用
rule-share_alike_unknown = 授權條款沒有明定改作是否須採用相同授權
rule-share_alike = 改作須採用相同授權，因此只收在「相同方式分享」的分片中公開
rule-public = 這個授權允許用於訓練、商業利用，以及公開由資料處理而成的語料分片

## 檔案與紀錄

pii-in-file-name = 檔名含有個人資料（{ $kind }）；收進語料時，檔名中的個人資料會以代號取代
    .hint = 請重新命名，檔名中不要有身分證字號、電話號碼或電子郵件地址
file-unreadable = 有檔案無法讀取：{ $detail }
    .hint = 請確認檔案存在且可以開啟
record-problem = { $reason }
would-drop-reason = { $total ->
        [1] 這份文件（第 { $places } { $unit ->
            [row] 列，列號從 0 開始算
           *[line] 行
        }）預計會被剔除
       *[other] { $total } 份文件中有 { $count } 份（第 { $places } { $unit ->
            [row] 列，列號從 0 開始算
           *[line] 行
        }）預計會被剔除
    }，原因：{ $reason }
script-simplified = 在繁簡寫法不同的字中，簡體字占 { $percent }%
    .hint = 處理時會把簡體字自動轉換為臺灣正體字（OpenCC s2twp），包括兩岸用詞；請抽查轉換結果，或在提交前自行轉換
would-drop-files = 有 { $count } 個檔案預計會整個被剔除，原因：{ $reason }（{ $files }）
script-simplified-files = 有 { $count } 個檔案大部分是簡體字（{ $files }）
    .hint = 處理時會把簡體字自動轉換為臺灣正體字（OpenCC s2twp），包括兩岸用詞；請抽查轉換結果，或在提交前自行轉換
label-drops = 預計剔除
drops-line = { $total } 份文件中，預計有 { $count } 份會在格式、語言與品質檢查中被剔除（重複的文件要等正式處理時才會找出）
office-word = { $file } 是 Word 等文書處理軟體的檔案，corpus 無法讀取
    .hint = 請另存為純文字：在 Word 中選「檔案 → 另存新檔」，存檔類型選「純文字 (*.txt)」，按「儲存」後，在跳出的「檔案轉換」視窗中選「其他編碼方式」→「Unicode (UTF-8)」（不要選預設的 Windows，那是 Big5）；每份文件存成一個 .txt 檔
office-sheet = { $file } 是 Excel 等試算表軟體的檔案，corpus 無法讀取
    .hint = 請另存為 CSV：在 Excel 中選「檔案 → 另存新檔」，存檔類型選「CSV UTF-8 (逗號分隔) (*.csv)」（不要選「CSV (逗號分隔)」，那是 Big5）；CSV 只會存目前的工作表，有多個工作表時請分別存檔；第一列必須是欄名，並在 contribution.toml 的 text_field 填入存放內文那一欄的欄名
office-pdf = { $file } 是 PDF 檔，corpus 無法讀取
    .hint = 請把文字匯出成 .txt：在 Adobe Acrobat 中選「檔案 → 匯出至 → 更多格式 → 文字 (純文字)」（免費的 Acrobat Reader 則選「檔案 → 另存為文字」），或執行 `pdftotext -enc UTF-8 檔名.pdf`；匯出後請打開檢查中文是正常的文字，不是方框或亂碼；若 PDF 是掃描的影像，必須先做文字辨識（OCR）
office-slides = { $file } 是簡報檔，corpus 無法讀取
    .hint = PowerPoint 無法直接存成 .txt：請把投影片中的文字複製貼到記事本，再用「檔案 → 另存新檔」存成 .txt 檔，編碼選 UTF-8
office-html = { $file } 是網頁檔，corpus 不會直接讀取
    .hint = 請把網頁內文存成 .txt 檔（UTF-8），不要包含選單和頁尾
json-array-in-jsonl = { $file } 的內容是一整個 JSON 陣列，不是 JSON Lines（每行一筆資料）
    .hint = 請把副檔名改成 .json（corpus 可讀取 .json 檔中的 JSON 陣列），或改成每行一筆 JSON 資料

## 紀錄或文件無法進入語料的原因（處理紀錄中的原因代碼）

reason-invalid_manifest = 無法讀取 contribution.toml
    .hint = 請先修正上面列出的 contribution.toml 問題
reason-duplicate_contribution = 另一份貢獻資料使用相同的 id
    .hint = 每份貢獻資料都要有自己的 id
reason-path_escapes_contribution = 檔名樣式指向這個資料夾以外的位置
    .hint = 請只列出這個資料夾內的檔案，路徑從這個資料夾算起，例如 "data/*.jsonl"；不可使用「..」，不可寫以磁碟機代號（如 C:\）或 / 開頭的完整路徑，也不可使用指向資料夾外的捷徑或連結
reason-no_matching_files = 依這個檔名樣式找不到任何檔案
    .hint = 請核對檔名樣式與實際的檔名、副檔名是否一致（路徑從這個資料夾算起；Windows 可能隱藏了副檔名）
reason-unknown_file_type = 無法讀取這種檔案類型
    .hint = 請使用 .jsonl（也可以是壓縮成 .gz 或 .zst 的 .jsonl）、.json、.csv、.tsv、.parquet 或 .txt 檔；或修改 `files` 的檔名樣式，讓它只包含這些類型的檔案
reason-not_a_regular_file = 不是一般檔案
    .hint = 只能列出一般檔案，不能是管線、通訊端或裝置
reason-duplicate_file_name = 有兩個檔案的檔名在讀取後變成一樣（通常是檔名編碼不同造成的）
    .hint = 請重新命名這些檔案，讓每個檔名都不一樣；如果檔名出現亂碼，通常是以 Big5 壓縮的 ZIP 檔解壓縮造成的，請在 Windows 中直接重新命名
reason-nested_contribution = 這個子資料夾本身是另一份貢獻資料
    .hint = 請另外提交它，或刪除它的 contribution.toml，讓它併入這份貢獻資料
reason-dataset_directory = 這個子資料夾是 corpus 產生的輸出
    .hint = 提交前，請把 corpus 的輸出資料夾移出貢獻資料
reason-unreadable_file = 無法讀取這個檔案
    .hint = 請確認檔案存在而且可以讀取
reason-truncated_file = 壓縮檔不完整或已損壞
    .hint = 請重新壓縮並重新複製檔案
reason-corrupt_parquet = 無法讀取這個 Parquet 檔
    .hint = 請重新產生 Parquet 檔（pyarrow：pq.write_table）
reason-invalid_utf8 = 文字不是 UTF-8 編碼
    .hint = 請把檔案另存為 UTF-8 編碼（不要用 Big5 或 UTF-16）：記事本在「另存新檔」的「編碼」選 UTF-8；Excel 的存檔類型請選「CSV UTF-8 (逗號分隔) (*.csv)」
reason-malformed_json = 這一行不是完整的 JSON 物件
    .hint = 每一行都必須是一筆完整的 JSON 資料，以 {"{"} 開頭、以 {"}"} 結尾，例如 {"{"}"id": "1", "text": "…"{"}"}；請檢查是否少了 {"}"} 或半形引號 "，或一筆資料被換行拆成了好幾行
reason-malformed_csv = 這一列不是有效的 CSV
    .hint = 可能有雙引號沒有成對（只有開頭、沒有結尾）：內容含有逗號、引號或換行的欄位，必須整格用半形雙引號括起來，內容中的引號要寫成兩個（""）；用 Excel 的「CSV UTF-8」存檔會自動處理
reason-not_an_object = 這一行是 JSON，但不是以 {"{"} {"}"} 包起來的一筆資料
    .hint = 每一行都必須是以 {"{"} 開頭、{"}"} 結尾的一筆資料，例如 {"{"}"text": "…"{"}"}；不能只是 [ ] 清單、一段文字或一個數字
reason-missing_field = 有紀錄缺少 `{ $field }` 欄位
    .hint = 每筆紀錄都要有 `{ $field }`；或在 contribution.toml 的 text_field／id_field 填入資料實際使用的欄位名稱
reason-wrong_type = `{ $field }` 的內容格式不對
    .hint = 內文必須是放在雙引號內的文字，例如 "text": "……"；id 必須是雙引號內的文字或整數，例如 "id": "A001" 或 "id": 17
reason-empty_text = 有紀錄沒有內文
    .hint = 請刪除沒有內文的紀錄，或補上內文
reason-duplicate_id = id 與前面的紀錄重複
    .hint = 每筆紀錄都要有自己的 id；或刪除 contribution.toml 中的 id_field，改以行號編號
reason-record_too_large = 紀錄太大
    .hint = 請把很長的文件拆成幾筆紀錄
reason-withdrawn = 貢獻者已撤回
reason-licence_excluded = 這個授權的資料無法納入語料
reason-language_excluded = 不是中文
    .hint = 本語料只收中文內容：請移除其他語言的檔案，或告知資料管理人
reason-script_excluded = 是簡體中文
    .hint = 本語料只收正體中文：請先把內容轉換成正體字，或告知資料管理人
reason-too_short = 太短
    .hint = 每份文件至少要有一兩句話；請把過短的紀錄合併，或直接刪除
reason-too_long = 太長
    .hint = 請把很長的文件拆成幾筆紀錄
reason-low_cjk_share = 大部分不是中文字
    .hint = 請移除程式碼、數字表格和其他語言的文字
reason-duplicate_lines = 很多行重複出現
    .hint = 請刪除每份文件中重複的頁首、頁尾和選單
reason-duplicate_paragraphs = 很多段落重複出現
    .hint = 請刪除重複的段落（複製貼上的公告、簽名檔）
reason-repeated_ngrams = 同樣的字詞一再重複
    .hint = 請檢查是否有同一段文字重複貼上了很多次
reason-too_many_symbols = 符號太多
    .hint = 請移除裝飾符號、用符號畫成的表格和表情符號清單
reason-punctuation_ratio = 標點符號太多或太少
    .hint = 請確認內容是文章，而不是關鍵字清單或表格
reason-unterminated_lines = 大部分的行沒有以句號等標點結尾
    .hint = 選單、標題清單和表格會被剔除；請保留連貫的文章
reason-boilerplate = 大部分是網站制式文字（版權、隱私權、Cookie 聲明）
    .hint = 請刪除每一頁的網站頁首、頁尾和聲明
reason-mojibake = 出現亂碼（文字是用錯誤的編碼開啟或轉存的）
    .hint = 請回到原始檔，用正確的編碼（常見的是 Big5）開啟，確認文字正常後另存為 UTF-8，再重新匯出
reason-word_stats = 字詞看起來不像一般語句
    .hint = 請確認內容是完整的句子，而不是人名或關鍵字清單
reason-exact_duplicate = 與另一份文件內容完全相同
reason-near_duplicate = 與另一份文件內容幾乎相同
reason-previously_released = 已收錄在先前的版本中
reason-withdrawn_duplicate = 與已撤回的文件幾乎相同

## `corpus init`：contribution.toml 範本中的說明

init-header = contribution.toml：這份貢獻資料的說明檔，由 `corpus init` 產生。
    請填寫空白的欄位和標有 TODO 的項目，再執行 corpus validate <這個資料夾> 檢查。
    文字請放在半形雙引號 " " 內；以 # 開頭的行是說明文字，程式不會讀取，可以保留。
init-id = 這份貢獻資料的代號：只用小寫英文字母、數字和 -，且不能與您其他的貢獻資料重複。
init-title = 使用這份資料的人會看到的標題，例如 "全國法規資料庫 2024"。
init-contributor = 提供資料的機關、出版者或個人。
init-licence = 資料採用的授權，請寫國際通用的 SPDX 授權代碼（例如 CC-BY-4.0）。公開的貢獻資料可以使用：{ $admissible }
    也可以寫 "CC BY 4.0"、"創用CC 姓名標示 4.0 國際" 或 "政府資料開放授權條款－第1版" 這類常見名稱。
init-visibility = "public"：資料可以公開。"private"：依貢獻協議提供，僅供訓練使用（此時請在下方加上 [agreement]）。
init-attribution = 授權要求的姓名標示文字，例如 "法務部 全國法規資料庫"。
init-language = 文字的語言（BCP-47 代碼）：zh-Hant 代表正體中文。
init-files = 資料檔：路徑從這個資料夾算起，可用 * 代表任意文字（例如 "data/*.jsonl" 代表 data 資料夾中所有的 .jsonl 檔）。找到的檔案：{ $found }
init-no-files = 沒有找到資料檔：請在這裡列出，例如 files = ["data/*.jsonl"]（可用 .jsonl、.json、.csv、.tsv、.parquet、.txt）。
init-other-files = 下列檔案 corpus 無法讀取（請先轉檔，corpus validate 會說明作法）：{ $files }
init-text-field = 存放內文的欄位（CSV 檔則為欄名；在第一筆紀錄中找到 "{ $field }"）。
init-text-field-unknown = 存放內文的欄位（CSV 檔則為欄名）：第一筆紀錄中沒有常見的欄位名稱，請填入實際的名稱。
init-id-field = 存放每筆紀錄 id 的欄位（找到 "{ $field }"）；刪除這一行，則改用行號當作 id。
init-agreement = 非公開（private）的貢獻資料須附上協議資訊：請刪除下面各行開頭的 #，再填入協議編號（id）、簽署日（signed）與到期日（expires，沒有期限就刪除這一行）。
    {"["}agreement]
    id = "SAITD-2026-0042"
    signed = 2026-03-01
    expires = 2028-12-31
init-exists = { $path } 已經存在，未寫入任何內容（加上 --force 可覆寫）
init-written = 已寫入 { $path }：請填寫空白的欄位和 TODO，再執行 corpus validate

## 個人資料的類型（只會顯示數量）

pii-TW_NATIONAL_ID = 身分證字號
pii-TW_ARC_NEW = 居留證統一證號
pii-TW_ARC_OLD = 居留證統一證號（舊式）
pii-TW_NHI_CARD = 健保卡號
pii-PASSPORT = 護照號碼
pii-TW_UBN = 統一編號
pii-TW_MOBILE = 手機號碼
pii-TW_LANDLINE = 市話號碼
pii-EMAIL = 電子郵件地址
pii-IPV4 = IPv4 位址
pii-IPV6 = IPv6 位址
pii-CREDIT_CARD = 信用卡號
pii-BANK_ACCOUNT = 銀行帳號
pii-TW_ADDRESS = 地址
pii-LICENSE_PLATE = 車牌號碼
pii-DATE_OF_BIRTH = 出生日期
pii-PERSON_NAME = 姓名
list-sep = 、
finding-line = { $severity }[{ $code }]：{ $location }：{ $message }
finding-line-bare = { $severity }[{ $code }]：{ $message }
