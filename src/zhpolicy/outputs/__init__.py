"""Writing results: the only package that writes files.

- :mod:`~zhpolicy.outputs.files`: CSV (UTF-8 with BOM), JSON, images, folders swapped in whole.
- :mod:`~zhpolicy.outputs.excel`: the workbook.
- :mod:`~zhpolicy.outputs.report`: the self-contained HTML report.
- :mod:`~zhpolicy.outputs.summary`: summary.json.
- :mod:`~zhpolicy.outputs.folders`: a document's, a corpus's and a comparison's output folder.
"""
from zhpolicy.outputs.excel import write_excel
from zhpolicy.outputs.files import write_csv
from zhpolicy.outputs.folders import write_analyses, write_analysis, write_compare, write_corpus

__all__ = ["write_analyses", "write_analysis", "write_compare", "write_corpus", "write_csv", "write_excel"]
