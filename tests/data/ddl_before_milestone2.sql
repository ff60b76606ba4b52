-- The schema as released before milestone 2 (pipeline/warehouse/ddl.sql at commit 80ff521), kept
-- byte for byte below this comment: tests/test_warehouse_schema.py upgrades a warehouse made by it.
-- The warehouse schema (DuckDB). Contract columns first, extensions after (see README).
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
    table_count INTEGER
);

CREATE TABLE IF NOT EXISTS dim_unit (
    unit_id VARCHAR PRIMARY KEY,
    unit_name VARCHAR NOT NULL,
    unit_code VARCHAR,
    parent_unit_id VARCHAR,
    region VARCHAR
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
    parent_code VARCHAR
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
    unit_multiplier BIGINT
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
    unit_multiplier BIGINT
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
    checked_at TIMESTAMP NOT NULL
);

CREATE OR REPLACE VIEW v_expenditure AS
SELECT f.*, CAST(f.amount_yuan / 10000 AS DECIMAL(24, 6)) AS amount_wan_yuan
FROM fact_expenditure f;
