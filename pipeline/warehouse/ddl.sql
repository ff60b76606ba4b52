-- The warehouse schema (DuckDB). Contract columns first, extensions after (see README), then the
-- columns the contract added in milestone 2 and the OCR extension columns, in the order an upgrade
-- appends them.
-- pipeline/schema.py declares the same columns and types (tests/test_warehouse_schema.py checks it).
CREATE TABLE IF NOT EXISTS dim_document (
    document_id VARCHAR PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    file_format VARCHAR NOT NULL,
    title VARCHAR,
    fiscal_year INTEGER,
    department_unit_id VARCHAR,
    page_count INTEGER,
    status VARCHAR NOT NULL,
    status_reason VARCHAR,
    ingested_at TIMESTAMP NOT NULL,
    file_size_bytes BIGINT,
    table_count INTEGER,
    document_kind VARCHAR,
    disclosure_level VARCHAR,
    text_source VARCHAR,
    table_kinds VARCHAR
);

CREATE TABLE IF NOT EXISTS dim_unit (
    unit_id VARCHAR PRIMARY KEY,
    unit_name VARCHAR NOT NULL,
    unit_code VARCHAR,
    parent_unit_id VARCHAR,
    region VARCHAR,
    province VARCHAR,
    city VARCHAR,
    county VARCHAR,
    adcode VARCHAR,
    department_type VARCHAR
);

CREATE TABLE IF NOT EXISTS dim_unit_alias (
    alias VARCHAR PRIMARY KEY,
    unit_id VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS dim_subject_code (
    subject_code VARCHAR PRIMARY KEY,
    classification VARCHAR NOT NULL,
    subject_name VARCHAR NOT NULL,
    level SMALLINT NOT NULL,
    parent_code VARCHAR,
    source VARCHAR,
    fiscal_year INTEGER
);

CREATE TABLE IF NOT EXISTS fact_expenditure (
    fact_id VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    fiscal_year INTEGER,
    unit_id VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,
    row_role VARCHAR NOT NULL,
    subject_code VARCHAR,
    printed_code VARCHAR,
    line_item VARCHAR NOT NULL,
    project_name VARCHAR,
    measure VARCHAR NOT NULL,
    amount_yuan DECIMAL(20, 2) NOT NULL,
    page INTEGER,
    source_row VARCHAR,
    table_index INTEGER,
    table_title VARCHAR,
    row_index INTEGER,
    column_label VARCHAR,
    unit_multiplier BIGINT,
    stage VARCHAR NOT NULL,
    confidence DOUBLE,
    fund_source VARCHAR,
    gov_economic_code VARCHAR,
    code_source VARCHAR,
    gov_economic_name VARCHAR
);

CREATE TABLE IF NOT EXISTS fact_income (
    fact_id VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    fiscal_year INTEGER,
    unit_id VARCHAR NOT NULL,
    table_kind VARCHAR NOT NULL,
    row_role VARCHAR NOT NULL,
    subject_code VARCHAR,
    printed_code VARCHAR,
    line_item VARCHAR NOT NULL,
    project_name VARCHAR,
    measure VARCHAR NOT NULL,
    amount_yuan DECIMAL(20, 2) NOT NULL,
    page INTEGER,
    source_row VARCHAR,
    table_index INTEGER,
    table_title VARCHAR,
    row_index INTEGER,
    column_label VARCHAR,
    unit_multiplier BIGINT,
    stage VARCHAR NOT NULL,
    confidence DOUBLE,
    fund_source VARCHAR,
    gov_economic_code VARCHAR,
    code_source VARCHAR,
    gov_economic_name VARCHAR
);

CREATE TABLE IF NOT EXISTS fact_performance_indicator (
    indicator_id VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    fiscal_year INTEGER,
    unit_id VARCHAR,
    scope VARCHAR NOT NULL,
    project_name VARCHAR,
    parent_project_name VARCHAR,
    project_budget_yuan DECIMAL(20, 2),
    level1 VARCHAR,
    level2 VARCHAR,
    indicator_name VARCHAR,
    comparator VARCHAR,
    target_value DOUBLE,
    target_max DOUBLE,
    target_unit VARCHAR,
    target_text VARCHAR,
    description VARCHAR,
    basis VARCHAR,
    table_index INTEGER,
    row_index INTEGER,
    page INTEGER
);

CREATE TABLE IF NOT EXISTS dq_check_result (
    run_id VARCHAR,
    document_id VARCHAR,
    check_name VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    success BOOLEAN NOT NULL,
    observed VARCHAR,
    expected VARCHAR,
    details VARCHAR,
    checked_at TIMESTAMP NOT NULL,
    table_index INTEGER,
    row_index INTEGER,
    page INTEGER,
    measure VARCHAR
);

-- BEGIN UPGRADE: skipped once the file holds the cell index (open_writer), which is created after it.
-- A warehouse written before milestone 2 gains its columns. Everything it holds was read as a
-- department's budget (the reader knew no other kind), so its rows get 'budget' / 'department' /
-- 'budget'. The defaults only fill those rows and are dropped at once: a new row states its own
-- kind and stage. Each statement is a no-op on a current file.
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS document_kind VARCHAR DEFAULT 'budget';
ALTER TABLE dim_document ALTER COLUMN document_kind DROP DEFAULT;
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS disclosure_level VARCHAR DEFAULT 'department';
ALTER TABLE dim_document ALTER COLUMN disclosure_level DROP DEFAULT;
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS stage VARCHAR DEFAULT 'budget';
ALTER TABLE fact_expenditure ALTER COLUMN stage DROP DEFAULT;
ALTER TABLE fact_expenditure ALTER COLUMN stage SET NOT NULL;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS stage VARCHAR DEFAULT 'budget';
ALTER TABLE fact_income ALTER COLUMN stage DROP DEFAULT;
ALTER TABLE fact_income ALTER COLUMN stage SET NOT NULL;
-- A warehouse written before OCR gains text_source and confidence. Every document it loaded was
-- read from a text layer (scans were quarantined), and its amounts have no OCR confidence (NULL).
-- A no-op on a current file: every loaded document states its text_source.
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS text_source VARCHAR;
UPDATE dim_document SET text_source = 'text_layer' WHERE text_source IS NULL AND status = 'loaded';
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS confidence DOUBLE;
-- Then table_kinds (NULL for documents loaded before it: their inventory was not kept).
ALTER TABLE dim_document ADD COLUMN IF NOT EXISTS table_kinds VARCHAR;
-- Milestone 3: fund_source (NULL for rows loaded before it: read as not split by fund) and
-- gov_economic_code (NULL: no government economic code was kept).
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS fund_source VARCHAR;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS fund_source VARCHAR;
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS gov_economic_code VARCHAR;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS gov_economic_code VARCHAR;
-- Then code_source, filled for older rows by the reader's rule (pipeline.normalize.context.code_source):
-- the printed digits are the code, or were made into it, or there were none.
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS code_source VARCHAR;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS code_source VARCHAR;
UPDATE fact_expenditure SET code_source = CASE
    WHEN coalesce(printed_code, '') = '' THEN 'inferred'
    WHEN regexp_replace(printed_code, '\s', '', 'g') = subject_code THEN 'printed' ELSE 'repaired' END
WHERE code_source IS NULL AND subject_code IS NOT NULL;
UPDATE fact_income SET code_source = CASE
    WHEN coalesce(printed_code, '') = '' THEN 'inferred'
    WHEN regexp_replace(printed_code, '\s', '', 'g') = subject_code THEN 'printed' ELSE 'repaired' END
WHERE code_source IS NULL AND subject_code IS NOT NULL;
-- Then the name printed beside a government economic code (NULL for rows loaded before it).
ALTER TABLE fact_expenditure ADD COLUMN IF NOT EXISTS gov_economic_name VARCHAR;
ALTER TABLE fact_income ADD COLUMN IF NOT EXISTS gov_economic_name VARCHAR;
-- Then where a unit sits and its kind of office: a unit loaded before them gets them from its name when
-- a document naming it is ingested again (NULL until then, as for a name that places it nowhere).
ALTER TABLE dim_unit ADD COLUMN IF NOT EXISTS province VARCHAR;
ALTER TABLE dim_unit ADD COLUMN IF NOT EXISTS city VARCHAR;
ALTER TABLE dim_unit ADD COLUMN IF NOT EXISTS county VARCHAR;
ALTER TABLE dim_unit ADD COLUMN IF NOT EXISTS adcode VARCHAR;
ALTER TABLE dim_unit ADD COLUMN IF NOT EXISTS department_type VARCHAR;
-- Then dim_subject_code's source: every code an older file holds is the shipped list's.
ALTER TABLE dim_subject_code ADD COLUMN IF NOT EXISTS source VARCHAR;
ALTER TABLE dim_subject_code ADD COLUMN IF NOT EXISTS fiscal_year INTEGER;
UPDATE dim_subject_code SET source = 'reference' WHERE source IS NULL;
-- Then a finding's place as columns (NULL for findings recorded before: their place is in details).
ALTER TABLE dq_check_result ADD COLUMN IF NOT EXISTS table_index INTEGER;
ALTER TABLE dq_check_result ADD COLUMN IF NOT EXISTS row_index INTEGER;
ALTER TABLE dq_check_result ADD COLUMN IF NOT EXISTS page INTEGER;
ALTER TABLE dq_check_result ADD COLUMN IF NOT EXISTS measure VARCHAR;
-- END UPGRADE

CREATE OR REPLACE VIEW v_expenditure AS
SELECT f.*, CAST(f.amount_yuan / 10000 AS DECIMAL(24, 6)) AS amount_wan_yuan
FROM fact_expenditure f;

-- Budget against actual: each line of a loaded final account (stage 'final') beside its budget.
-- A line is (unit, year, table kind, row role, subject code, or the label where there is no code,
-- measure). The budget is the 预算数 the final account prints beside it (the 三公 决算 table does),
-- else the line of a loaded budget disclosure of the same unit and year, preferring the final
-- account's disclosure level, then the latest ingested. A line printed twice in one document counts
-- once (the first print); two final accounts with the same line: the latest ingested. One row per line.
CREATE OR REPLACE VIEW v_budget_vs_final AS
WITH facts AS (
    SELECT f.document_id, d.document_kind, d.disclosure_level, d.ingested_at, f.stage,
           f.unit_id, f.fiscal_year, f.table_kind, f.row_role, f.subject_code,
           CASE WHEN f.subject_code IS NULL THEN f.line_item END AS item_key,
           f.line_item, f.measure, f.amount_yuan
    FROM fact_expenditure f
    JOIN dim_document d ON d.document_id = f.document_id
    WHERE d.status = 'loaded'
      AND f.row_role IN ('total', 'subject', 'item', 'subtotal', 'unit_total')
      AND f.measure <> 'other'  -- a column whose heading names no measure pairs with nothing
    QUALIFY row_number() OVER (
        PARTITION BY f.document_id, f.stage, f.unit_id, f.fiscal_year, f.table_kind, f.row_role,
                     f.subject_code, item_key, f.measure
        ORDER BY f.table_index NULLS LAST, f.row_index NULLS LAST, f.fact_id) = 1
),
final AS (
    SELECT * FROM facts
    WHERE document_kind = 'final_accounts' AND stage = 'final'
    QUALIFY row_number() OVER (
        PARTITION BY unit_id, fiscal_year, table_kind, row_role, subject_code, item_key, measure
        ORDER BY ingested_at DESC, document_id DESC) = 1
),
budget AS (
    SELECT fi.document_id AS final_document_id, fi.unit_id, fi.fiscal_year, fi.table_kind, fi.row_role,
           fi.subject_code, fi.item_key, fi.measure,
           b.amount_yuan AS budget_amount_yuan, b.document_id AS budget_document_id,
           CASE WHEN b.document_id = fi.document_id THEN 'same_document' ELSE 'budget_disclosure' END
               AS budget_source
    FROM final fi
    JOIN facts b
      ON b.stage = 'budget'
     AND (b.document_id = fi.document_id OR b.document_kind = 'budget')
     AND b.unit_id = fi.unit_id AND b.fiscal_year = fi.fiscal_year AND b.table_kind = fi.table_kind
     AND b.row_role = fi.row_role AND b.measure = fi.measure
     AND b.subject_code IS NOT DISTINCT FROM fi.subject_code AND b.item_key IS NOT DISTINCT FROM fi.item_key
    QUALIFY row_number() OVER (
        PARTITION BY fi.unit_id, fi.fiscal_year, fi.table_kind, fi.row_role, fi.subject_code, fi.item_key,
                     fi.measure
        ORDER BY b.document_id = fi.document_id DESC,
                 b.disclosure_level IS NOT DISTINCT FROM fi.disclosure_level DESC,
                 b.ingested_at DESC, b.document_id DESC) = 1
),
paired AS (
    SELECT fi.unit_id, fi.fiscal_year, fi.table_kind, fi.subject_code, fi.line_item, fi.measure,
           b.budget_amount_yuan, fi.amount_yuan AS final_amount_yuan,
           b.budget_document_id, fi.document_id AS final_document_id, b.budget_source, fi.row_role,
           -- amounts in fen, exact, for the rate below
           CAST(abs(fi.amount_yuan) * 100 AS HUGEINT) AS final_fen,
           CAST(abs(b.budget_amount_yuan) * 100 AS HUGEINT) AS budget_fen
    FROM final fi
    LEFT JOIN budget b
      ON b.final_document_id = fi.document_id AND b.unit_id = fi.unit_id AND b.fiscal_year = fi.fiscal_year
     AND b.table_kind = fi.table_kind AND b.row_role = fi.row_role AND b.measure = fi.measure
     AND b.subject_code IS NOT DISTINCT FROM fi.subject_code AND b.item_key IS NOT DISTINCT FROM fi.item_key
)
SELECT unit_id, fiscal_year, table_kind, subject_code, line_item, measure,
       budget_amount_yuan, final_amount_yuan,
       CAST(final_amount_yuan - budget_amount_yuan AS DECIMAL(20, 2)) AS difference_yuan,
       -- final / budget rounded half up to 4 places in integer arithmetic (DuckDB divides decimals
       -- as doubles); NULL when the budget is 0 or missing, or the rate does not fit DECIMAL(12,4)
       CASE WHEN budget_fen > 0 AND final_fen < budget_fen * 100000000 THEN
           CAST(CAST(sign(final_amount_yuan) * sign(budget_amount_yuan)
                     * ((final_fen * 20000 + budget_fen) // (2 * budget_fen)) AS DECIMAL(38, 0))
                * 0.0001 AS DECIMAL(12, 4))
       END AS execution_rate,
       budget_document_id, final_document_id, budget_source, row_role
FROM paired;
