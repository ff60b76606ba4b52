-- One row per loaded disclosure: who published it (unit, area, kind of office), what it is (year,
-- kind, stage) and its headline figures. Each figure comes from the one table named here, as the
-- department's own row of the disclosure's stage, not split by fund: the first print of that row when
-- the table is printed twice, never a sum; NULL where the disclosure prints none. The README lists the
-- source of every column. The standard tables are vocabulary.STANDARD_BUDGET_TABLES (tested equal);
-- error findings are counted as `budget-etl report` counts them: rows that differ only by measure are one.
CREATE OR REPLACE VIEW v_disclosure_summary AS
WITH docs AS (
    SELECT document_id, title, fiscal_year, document_kind, disclosure_level, department_unit_id AS unit_id,
           CASE document_kind WHEN 'final_accounts' THEN 'final' ELSE 'budget' END AS stage,
           string_split(coalesce(table_kinds, ''), ' ') AS kinds
    FROM dim_document
    WHERE status = 'loaded'
),
cells AS (
    SELECT 'income' AS side, document_id, unit_id, table_kind, row_role, line_item, measure, stage,
           fund_source, amount_yuan, table_index * 100000 + row_index AS place
    FROM fact_income
    UNION ALL
    SELECT 'expenditure', document_id, unit_id, table_kind, row_role, line_item, measure, stage,
           fund_source, amount_yuan, table_index * 100000 + row_index
    FROM fact_expenditure
),
own AS (
    SELECT c.* FROM cells c JOIN docs d USING (document_id)
    WHERE c.stage = d.stage AND c.unit_id = d.unit_id AND c.fund_source IS NULL
),
figures AS (
    SELECT document_id,
        -- 收支总表: the last total row of each side is its grand total (收入总计 after 本年收入合计)
        arg_max(amount_yuan, place) FILTER (WHERE side = 'income' AND table_kind = 'income_expenditure_summary'
            AND row_role = 'total' AND measure = 'total') AS income_total_yuan,
        arg_max(amount_yuan, place) FILTER (WHERE side = 'expenditure' AND table_kind = 'income_expenditure_summary'
            AND row_role = 'total' AND measure = 'total') AS expenditure_total_yuan,
        -- 支出总表: its total row's 基本支出 and 项目支出 columns
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'expenditure_summary' AND row_role = 'total'
            AND measure = 'basic') AS basic_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'expenditure_summary' AND row_role = 'total'
            AND measure = 'project') AS project_yuan,
        -- 一般公共预算基本支出表: 人员经费 and 公用经费 of its total
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'general_budget_basic_expenditure'
            AND row_role = 'total' AND measure = 'personnel') AS personnel_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'general_budget_basic_expenditure'
            AND row_role = 'total' AND measure = 'public_operating') AS public_operating_yuan,
        -- “三公”经费表: the total and each category, and 机关运行经费 where that table prints it
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'three_public_total' AND row_role = 'total') AS three_public_total_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'overseas_travel' AND row_role IN ('item', 'subtotal')) AS overseas_travel_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'vehicle_total' AND row_role IN ('item', 'subtotal')) AS vehicle_total_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'vehicle_purchase' AND row_role IN ('item', 'subtotal')) AS vehicle_purchase_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'vehicle_operation' AND row_role IN ('item', 'subtotal')) AS vehicle_operation_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'official_reception' AND row_role IN ('item', 'subtotal')) AS official_reception_yuan,
        arg_min(amount_yuan, place) FILTER (WHERE table_kind = 'three_public' AND measure = 'total'
            AND line_item = 'agency_operating_cost' AND row_role IN ('item', 'subtotal'))
            AS agency_operating_cost_yuan
    FROM own
    GROUP BY document_id
),
findings AS (
    -- budget_cli.findings.merge_measures: rows that differ only by measure are one finding
    SELECT document_id, severity = 'error' AS is_error,
           (check_name, severity, coalesce(observed, ''), coalesce(expected, ''), coalesce(details, ''),
            coalesce(table_index, -2), coalesce(row_index, -2)) AS finding
    FROM dq_check_result
    WHERE NOT success AND document_id IS NOT NULL
),
errors AS (
    SELECT document_id, count(DISTINCT finding) FILTER (WHERE is_error) AS error_findings,
           count(DISTINCT finding) FILTER (WHERE NOT is_error) AS warning_findings
    FROM findings
    GROUP BY document_id
)
SELECT d.document_id, d.title, d.unit_id, u.unit_name, u.region, u.province, u.city, u.county, u.adcode,
       u.department_type,
       d.fiscal_year, d.document_kind, d.disclosure_level, d.stage,
       f.income_total_yuan, f.expenditure_total_yuan, f.basic_yuan, f.project_yuan,
       f.personnel_yuan, f.public_operating_yuan,
       f.three_public_total_yuan, f.overseas_travel_yuan, f.vehicle_total_yuan, f.vehicle_purchase_yuan,
       f.vehicle_operation_yuan, f.official_reception_yuan, f.agency_operating_cost_yuan,
       len(list_intersect(d.kinds, ['income_expenditure_summary', 'income_summary', 'expenditure_summary',
           'fiscal_grant_summary', 'general_budget_expenditure', 'general_budget_basic_expenditure',
           'three_public', 'gov_fund_expenditure'])) AS standard_tables_found,
       coalesce(e.error_findings, 0) AS error_findings, coalesce(e.warning_findings, 0) AS warning_findings
FROM docs d
LEFT JOIN dim_unit u ON u.unit_id = d.unit_id
LEFT JOIN figures f USING (document_id)
LEFT JOIN errors e USING (document_id);
