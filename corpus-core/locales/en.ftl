# Messages of `corpus validate` and of the contribution errors `corpus run` reports, in English.
# The same ids are in zh-TW.ftl (a test fails if one catalogue has an id the other lacks).
# Project Fluent syntax: https://projectfluent.org/fluent/guide/ — `{ $name }` is an argument,
# a literal brace is written {"{"} and {"}"}. `.hint` is how to fix what the message says.

## The report's frame

label-valid = valid
label-invalid = INVALID
label-licence = licence
label-file = file
label-pii = personal data
label-script = script
location-line = { $file }:{ $line }
location-row = { $file }#{ $row }
location-field = { $place }: field `{ $field }`
location-field-only = field `{ $field }`
report-header = { $verdict } { $dir } (id `{ $id }`)
report-header-no-id = { $verdict } { $dir }
hint-line = hint: { $text }
detail-line = detail: { $text }
sev-error = error
sev-warning = warning
sev-note = note
licence-line = { $expression } → { $tier } (rule `{ $rule }`)
licence-line-alias = { $expression } = { $canonical } → { $tier } (rule `{ $rule }`)
file-line = { $file }: { $documents } { $documents ->
        [one] document
       *[other] documents
    }{ $bad ->
        [0] {""}
       *[other] , { $bad } refused by the reader
    }{ $drop ->
        [0] {""}
       *[other] , { $drop } would be dropped
    }{ $simplified ->
        [none] {""}
       *[other] , { $simplified } % Simplified
    }
files-hidden = { $count } more { $count ->
        [one] file
       *[other] files
    } without findings ({ $documents } documents; --verbose lists them)
pii-line = { $list } (counts only; the pipeline redacts them)
script-line = { $percent } % of the characters that differ between the scripts are Simplified
summary = { $ok } of { $total } { $total ->
        [one] contribution
       *[other] contributions
    } valid
summary-strict = (--strict: predicted drops and warnings count as errors)

tier-public = public
tier-public-share-alike = public, share-alike shards
tier-restricted = restricted (training only)
tier-excluded = excluded

## The directory and its manifest

dir-not-found = { $dir } does not exist
    .hint = check the path: run the command in the folder that holds the contribution, or give its full path
dir-is-a-file = { $dir } is a file, not a folder
    .hint = give the folder that holds contribution.toml and the data files, not a file in it
manifest-missing = there is no contribution.toml in this folder
    .hint = run `corpus init <folder>` to write one from the files it finds, then fill in the TODOs
manifest-missing-near = there is no contribution.toml in this folder, but there is { $found }
    .hint = rename it to exactly contribution.toml (Windows may hide a .txt ending: turn on "File name extensions" in Explorer)
manifest-unreadable = contribution.toml cannot be read: { $detail }
    .hint = check that the file is an ordinary file you can open
manifest-big5 = contribution.toml is saved as Big5, not UTF-8
    .hint = save it again as UTF-8: in Notepad, File → Save As → Encoding: UTF-8
manifest-not-utf8 = contribution.toml is not UTF-8 text
    .hint = save it again as UTF-8 (not UTF-16 or Big5): in Notepad, File → Save As → Encoding: UTF-8
manifest-lookalike = this line has { $char } where TOML needs { $ascii }
    .hint = word processors and Chinese input methods change quotes and symbols: type them in half-width (English) mode, or edit the file in Notepad or VS Code
manifest-unquoted = text must be in straight double quotes ({ $detail })
    .hint = write the value in quotes, e.g. title = "全國法規資料庫"
manifest-syntax = this line is not valid TOML: { $detail }
    .hint = each line is key = value; text in "double quotes", dates as 2026-03-01, lists in [brackets]
manifest-unknown-key = `{ $key }` is not a key of contribution.toml
    .hint = remove it or fix its spelling; the keys are { $known }
manifest-unknown-key-near = `{ $key }` is not a key of contribution.toml; did you mean `{ $near }`?
    .hint = rename the key to `{ $near }`
manifest-missing-key = `{ $key }` is missing
    .hint = add a line like: { $example }
manifest-wrong-type = `{ $key }` must be { $expected_id ->
        [type-text] text in double quotes
        [type-text-list] a list of texts, like ["data/*.jsonl"]
        [type-table] a table: a line [agreement] with its keys below it
       *[type-date] a date like 2026-03-01, without quotes
    }, not { $found_id ->
        [type-text] text
        [type-number] a number
        [type-boolean] true or false
        [type-date] a date
        [type-list] a list
       *[type-table] a table
    }
    .hint = text in "double quotes", dates as 2026-03-01 without quotes, lists in [brackets]
manifest-quoted-date = `{ $key }` is a date in quotes ("{ $value }")
    .hint = remove the quotes: { $key } = { $value }
manifest-empty = `{ $key }` is empty
    .hint = fill it in: the corpus shows it to the people who use your data
manifest-bad-id = the id `{ $id }` is not valid: it must be 1 to 64 characters of a-z, 0-9 and -, not starting with -
    .hint = use lower-case letters, digits and hyphens, e.g. id = "moj-laws-2024"
manifest-bad-id-suggest = the id `{ $id }` is not valid: it must be 1 to 64 characters of a-z, 0-9 and -, not starting with -
    .hint = write id = "{ $suggestion }"
manifest-bad-visibility = visibility is "{ $value }", but it must be "public" or "private"
    .hint = "public": the data may be published; "private": given under a contribution agreement, for training only
manifest-no-files = `files` lists no files
    .hint = list the data files or a pattern, e.g. files = ["data/*.jsonl"]
manifest-bad-date = `{ $key }` must be a date without a time ({ $value })
    .hint = write the date only, e.g. 2026-03-01
manifest-expires-before-signed = the agreement ends ({ $expires }) before it was signed ({ $signed })
    .hint = check both dates under [agreement]
manifest-needs-agreement = a private contribution needs an [agreement] table
    .hint = add at the end: [agreement], then id = "…" (the agreement number), signed = 2026-03-01 and, if it ends, expires = 2028-12-31
duplicate-contribution = another contribution, { $other }, has the same id `{ $id }`
    .hint = give each contribution its own id; the pipeline skips the second

## The licence

licence-alias = the licence "{ $written }" is accepted as { $canonical }
    .hint = write licence = "{ $canonical }" to say exactly this
licence-unknown = the licence "{ $licence }" is not in the registry
    .hint = licences this contribution can use: { $admissible }
licence-unknown-near = the licence "{ $licence }" is not in the registry; did you mean { $near }?
    .hint = licences this contribution can use: { $admissible }
licence-refused = the licence "{ $licence }" cannot enter the corpus: { $because } (rule `{ $rule }`)
    .hint = ask the copyright holder whether the text can be given under one of: { $admissible }
agreement-open-ended = the agreement has no end date: the data is used until it is withdrawn
    .hint = if the agreement ends, add expires = YYYY-MM-DD under [agreement]

rule-withdrawn = the contributor withdrew the document or the contribution
rule-agreement_expired = the contribution agreement ended before the run date
rule-licence_unknown = the licence is not in the registry, so nothing about its terms is known
rule-invalid_expression = it is not a licence name or SPDX expression
rule-no_rule_matched = no rule of the terms admits this licence
rule-training_not_permitted = the licence does not permit training
rule-training_unknown = the licence text does not settle whether training is permitted
rule-private_contribution = private contributions are given for training only under the contribution agreement and are never published
rule-non_commercial = the licence forbids commercial use, and models trained on the corpus may be used commercially
rule-commercial_not_permitted = the licence does not permit commercial use, and models trained on the corpus may be used commercially
rule-commercial_unknown = the licence text does not settle commercial use
rule-non_commercial_unknown = the licence text does not settle whether use is limited to non-commercial purposes
rule-training_only_unknown = the licence text does not settle whether use is limited to training
rule-training_only = the licence limits use to AI training, so its documents are never published
rule-no_derivatives_unknown = the licence text does not settle whether adaptations may be shared
rule-no_derivatives = cleaned and tokenized shards are adaptations, which the licence does not allow to be shared; training only
rule-derived_shards_unknown = the licence text does not settle whether derived shards may be published
rule-derived_shards_not_permitted = the licence permits training but not publishing derived shards; training only
rule-share_alike_unknown = the licence text does not settle whether adaptations must carry the same licence
rule-share_alike = adaptations must carry the same licence: published only in share-alike shards
rule-public = the licence permits training, commercial use and publishing derived shards

## Files and records

pii-in-file-name = the file name holds personal data ({ $kind }); the corpus replaces it with a pseudonym
    .hint = rename the file so that its name holds no ID number, phone number or e-mail address
file-unreadable = a file could not be read: { $detail }
    .hint = check that the files exist and can be opened
record-problem = { $reason }
would-drop-reason = { $count } of { $total } { $total ->
        [one] document
       *[other] documents
    } would be dropped: { $reason } ({ $unit ->
        [row] { $lines ->
            [one] row
           *[other] rows
        }
       *[line] { $lines ->
            [one] line
           *[other] lines
        }
    } { $places })
would-drop-files = { $count } { $count ->
        [one] file
       *[other] files
    } of one document each would be dropped: { $reason } ({ $files })
script-simplified-files = { $count } { $count ->
        [one] file is
       *[other] files are
    } mostly Simplified Chinese ({ $files })
    .hint = the pipeline converts Simplified to Taiwan Traditional (OpenCC s2twp); check a sample of the result, or convert the text yourself before submitting
label-drops = drops
drops-line = { $count } of { $total } { $total ->
        [one] document
       *[other] documents
    } would be dropped by the normalize, language and quality checks (duplicates are found only in a run)
script-simplified = { $percent } % of the characters that differ between the scripts are Simplified Chinese
    .hint = the pipeline converts Simplified to Taiwan Traditional (OpenCC s2twp); check a sample of the result, or convert the text yourself before submitting
office-word = { $file } is a word-processor document, which corpus does not read
    .hint = save it as plain text: in Word, File → Save As → "Plain Text (*.txt)", encoding Unicode (UTF-8); one document per .txt file
office-sheet = { $file } is a spreadsheet, which corpus does not read
    .hint = save it as CSV: in Excel, File → Save As → "CSV UTF-8 (Comma delimited) (*.csv)"; the first row must name the columns, and text_field the column with the text
office-pdf = { $file } is a PDF, which corpus does not read
    .hint = export the text: in Acrobat, File → Export To → Text, or `pdftotext -enc UTF-8 file.pdf`; check that the Chinese came out as text, not as boxes
office-slides = { $file } is a presentation, which corpus does not read
    .hint = export the text of the slides as a .txt file (UTF-8)
office-html = { $file } is a web page, which corpus does not read as such
    .hint = save the page's text as .txt (UTF-8), without menus and footers
json-array-in-jsonl = { $file } is a JSON array, not JSON Lines
    .hint = rename the file to .json (corpus reads a JSON array in a .json file), or write one object per line

## Why a record or document would not reach the corpus (the ledger's reasons)

reason-invalid_manifest = contribution.toml cannot be read
    .hint = fix the problems of contribution.toml listed above
reason-duplicate_contribution = another contribution has the same id
    .hint = give each contribution its own id
reason-path_escapes_contribution = the pattern points outside this folder
    .hint = list files inside this folder, relative to it, e.g. "data/*.jsonl"; no .., no absolute paths, no links pointing outside
reason-no_matching_files = the pattern matches no file
    .hint = check the pattern and the file names (patterns are relative to this folder)
reason-unknown_file_type = the file type cannot be read
    .hint = use .jsonl (also .gz or .zst), .json, .csv, .tsv, .parquet or .txt, or narrow the patterns of `files`
reason-not_a_regular_file = not an ordinary file
    .hint = list only ordinary files: not a pipe, a socket or a device
reason-duplicate_file_name = two file names read the same
    .hint = rename the files so that their names are UTF-8 (e.g. not Big5) and distinct
reason-nested_contribution = this subfolder is a contribution of its own
    .hint = submit it separately, or remove its contribution.toml to make it part of this one
reason-dataset_directory = this subfolder is an output of corpus
    .hint = remove corpus's output folder from the contribution before submitting
reason-unreadable_file = the file cannot be read
    .hint = check that the file exists and can be read
reason-truncated_file = the compressed file is incomplete or damaged
    .hint = compress the file again and copy it again
reason-corrupt_parquet = the Parquet file cannot be read
    .hint = write the Parquet file again (pyarrow: pq.write_table)
reason-invalid_utf8 = the text is not UTF-8
    .hint = save the file as UTF-8 (not Big5 or UTF-16); in Excel choose "CSV UTF-8"
reason-malformed_json = the line is not a complete JSON object
    .hint = each line must be one complete JSON object, e.g. {"{"}"id": "1", "text": "…"{"}"}; look for a missing {"}"} or "
reason-malformed_csv = the row is not valid CSV
    .hint = a quote was opened and not closed: a field with a comma, quote or line break must be in double quotes, with inner quotes doubled ("")
reason-not_an_object = the line is JSON but not an object
    .hint = each line must be a JSON object {"{"}…{"}"}, not an array, text or number
reason-missing_field = a record has no `{ $field }` field
    .hint = every record needs `{ $field }`, or set text_field / id_field in contribution.toml to the field your data uses
reason-wrong_type = `{ $field }` has the wrong type
    .hint = the text must be a string; ids must be strings or integers
reason-empty_text = a record has no text
    .hint = remove records without text, or fill them in
reason-duplicate_id = the same id as an earlier record
    .hint = give every record its own id, or remove id_field from contribution.toml to number records by line
reason-record_too_large = the record is too large
    .hint = split very long documents into several records
reason-withdrawn = withdrawn by the contributor
reason-licence_excluded = the licence cannot enter the corpus
reason-language_excluded = not in Chinese
    .hint = the corpus keeps Chinese text: remove files in other languages, or tell the data steward
reason-script_excluded = in Simplified Chinese
    .hint = the corpus is Traditional Chinese: convert the text or tell the data steward
reason-too_short = too short
    .hint = documents need at least a sentence or two; merge very short records or remove them
reason-too_long = too long
    .hint = split very long documents into several records
reason-low_cjk_share = mostly not Chinese characters
    .hint = remove code listings, tables of numbers and text in other languages
reason-duplicate_lines = many lines repeat
    .hint = remove repeated headers, footers and menus from each document
reason-duplicate_paragraphs = many paragraphs repeat
    .hint = remove repeated paragraphs (copied notices, signatures)
reason-repeated_ngrams = the same words repeat over and over
    .hint = check for text that was pasted many times
reason-too_many_symbols = too many symbols
    .hint = remove decorations, tables drawn with symbols and emoji lists
reason-punctuation_ratio = too much or too little punctuation
    .hint = check that the text is prose, not a list of keywords or a table
reason-unterminated_lines = few lines end a sentence
    .hint = menus, lists of titles and tables are dropped; keep running text
reason-boilerplate = mostly website boilerplate (copyright, privacy, cookies)
    .hint = remove site headers, footers and notices from each page
reason-mojibake = garbled characters (text decoded with the wrong encoding)
    .hint = convert the original file to UTF-8 from the right encoding (often Big5) and export it again
reason-word_stats = the words do not look like language
    .hint = check that the text is sentences, not lists of names or keywords
reason-exact_duplicate = the same text as another document
reason-near_duplicate = nearly the same text as another document
reason-previously_released = already in an earlier release
reason-withdrawn_duplicate = a near-copy of a withdrawn document

## `corpus init`: the comments of the contribution.toml template

init-header = contribution.toml: what you declare about this contribution. Written by `corpus init`;
    fill in the empty values and the TODO, then check with: corpus validate <this folder>
    Text goes in straight "double quotes"; lines starting with # are comments.
init-id = A short name for this contribution: lower-case letters, digits and -, unique among your contributions.
init-title = The title people will see, e.g. "全國法規資料庫 2024".
init-contributor = Who gives the data: the agency, publisher or person.
init-licence = The licence the data is given under, as an SPDX id. Public contributions can use: { $admissible }
    Names such as "CC BY 4.0" or "政府資料開放授權條款－第1版" are accepted too.
init-visibility = "public": the data may be published. "private": given under a contribution agreement, for training only (then add [agreement] below).
init-attribution = The credit line the licence requires, e.g. "法務部 全國法規資料庫".
init-language = The language of the text (BCP-47): zh-Hant is Traditional Chinese.
init-files = The data files, as patterns relative to this folder. Found: { $found }
init-no-files = No data file was found: list your files here, e.g. files = ["data/*.jsonl"] (.jsonl, .json, .csv, .tsv, .parquet, .txt).
init-other-files = Not read by corpus (convert them first; corpus validate says how): { $files }
init-text-field = The field or column that holds the text (found "{ $field }" in the first record).
init-text-field-unknown = The field or column that holds the text: no usual name was found in the first record; write its name.
init-id-field = The field or column with each record's id (found "{ $field }"); remove this line to number records by line.
init-agreement = A private contribution needs its agreement:
    {"["}agreement]
    id = "SAITD-2026-0042"
    signed = 2026-03-01
    expires = 2028-12-31
init-exists = { $path } already exists; nothing was written (--force replaces it)
init-written = wrote { $path }: fill in the empty values and the TODO, then run corpus validate

## Personal data types (counts only are ever shown)

pii-TW_NATIONAL_ID = national ID number
pii-TW_ARC_NEW = resident certificate number
pii-TW_ARC_OLD = resident certificate number (old format)
pii-TW_NHI_CARD = health insurance card number
pii-PASSPORT = passport number
pii-TW_UBN = business ID number
pii-TW_MOBILE = mobile number
pii-TW_LANDLINE = landline number
pii-EMAIL = e-mail address
pii-IPV4 = IPv4 address
pii-IPV6 = IPv6 address
pii-CREDIT_CARD = credit card number
pii-BANK_ACCOUNT = bank account number
pii-TW_ADDRESS = address
pii-LICENSE_PLATE = licence plate
pii-DATE_OF_BIRTH = date of birth
pii-PERSON_NAME = person name
list-sep = {", "}
finding-line = { $severity }[{ $code }]: { $location }: { $message }
finding-line-bare = { $severity }[{ $code }]: { $message }
