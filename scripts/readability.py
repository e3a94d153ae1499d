"""Print the Flesch-Kincaid grade of each content YAML file given (aim for 9 or below).

The measure is for English only: Flesch-Kincaid and the syllable counts behind it are calibrated
for English, so translations (and Welsh pages) are not scored.

Usage: .venv/bin/python scripts/readability.py content/toolkits/platforms/*.yml
"""

import sys
from pathlib import Path

from councillor_hub.readability import MAX_GRADE, fk_grade, yaml_texts
from councillor_hub.yaml_source import read_yaml

print(f"Flesch-Kincaid grade (aim: {MAX_GRADE:g} or below). English only: translations are not scored.")
status = 0
for name in sys.argv[1:]:
    doc = read_yaml(Path(name))
    grade = fk_grade(yaml_texts(doc.data))
    flag = "" if grade <= MAX_GRADE else "  <-- too hard: shorter sentences, simpler words"
    status |= grade > MAX_GRADE
    print(f"{grade:5.1f}  {name}{flag}")
sys.exit(status)
