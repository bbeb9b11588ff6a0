"""The portal's one spreadsheet reader and writer.

- `columns`: what an importer declares (sheets and typed columns);
- `reading`: uploads read into declared sheets, with a problem per bad cell;
- `uploads`: the form and serializer check that refuses a non-spreadsheet;
- `writing`: CSV and workbooks for every export, safe from formula injection;
- `templates`: import templates written from the declarations;
- `cells`: reading what people type into cells.
"""

from core.spreadsheets.cells import text_key
from core.spreadsheets.columns import (
    AMOUNT_UNITS,
    Amount,
    Choice,
    ChoiceList,
    Column,
    Date,
    DateTime,
    Invalid,
    SheetSpec,
    Text,
    TextList,
    Whole,
)
from core.spreadsheets.reading import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    FileRefused,
    Problem,
    Row,
    Table,
    nothing_to_import,
    read_sheets,
    read_upload,
)
from core.spreadsheets.templates import template_csv, template_xlsx
from core.spreadsheets.uploads import ACCEPT, validate_upload
from core.spreadsheets.writing import (
    CONTENT_TYPES,
    CSV_TYPE,
    XLSX_TYPE,
    Sheet,
    csv_bytes,
    csv_lines,
    xlsx_bytes,
)

__all__ = [
    "ACCEPT",
    "AMOUNT_UNITS",
    "CONTENT_TYPES",
    "CSV_TYPE",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "XLSX_TYPE",
    "Amount",
    "Choice",
    "ChoiceList",
    "Column",
    "Date",
    "DateTime",
    "FileRefused",
    "Invalid",
    "Problem",
    "Row",
    "Sheet",
    "SheetSpec",
    "Table",
    "Text",
    "TextList",
    "Whole",
    "csv_bytes",
    "csv_lines",
    "nothing_to_import",
    "read_sheets",
    "read_upload",
    "template_csv",
    "template_xlsx",
    "text_key",
    "validate_upload",
    "xlsx_bytes",
]
