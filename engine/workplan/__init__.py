"""The year's work plan (政务公开工作要点): import, tasks per lead department, reports, supervision.

`parse` and `units` read a plan from text, .docx or .xlsx; `plans` creates it and starts one
`workplan_task` instance per lead department; `procedure` binds that diagram's steps to reports and
sign-off; `progress` answers who is done, late or silent; `export` writes the plan back as .xlsx;
`rules` holds the deadlines the plans carry, as DMN rows the office edits.
"""

PROCESS_KEY = "workplan_task"

LIAISON_ROLE = "liaison"
CYCLES = {"P1M": "每月", "P3M": "每季度"}
STATUS_NAMES = {"in_progress": "推进中", "done": "已完成"}
