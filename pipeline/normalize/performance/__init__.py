"""Performance-target tables (绩效目标表) into one :class:`IndicatorRow` per indicator.

Disclosures print indicators in very different shapes: column tables with a unit and project
per row (单位名称 | 项目名称 | 一级指标 | … | 计算符号 | 指标值 | 计量单位), summary tables with a
funds block per project, one table per project with its name in the title, and application
forms (申报表) that start with key/value fields and carry a header row for the indicators in
the middle of the body. Every rule here keys on header words, form labels and the vocabulary
of the national indicator framework (产出/效益/满意度, 数量/质量/时效 …), never on a document.

The package by concern:
- ``roles``: layout detection, the column roles header words announce;
- ``cells``: what a cell looks like (level words, bases, labels, placeholders);
- ``forms``: key/value fields of application forms, goal headings, titles naming a project;
- ``align``: indicator grids, a row's cells placed on the roles by meaning and position;
- ``levels``: first and second levels carried down a table;
- ``rows``: row placement, every body row read into the state or into an indicator.
"""
