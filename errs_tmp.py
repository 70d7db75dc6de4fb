import sys
from engine.deid.corpus import load_all, PATTERNS
from engine.deid.evaluate import evaluate
docs=[d for d in load_all(PATTERNS) if d.name.startswith(sys.argv[1] if len(sys.argv)>1 else "dev")]
r=evaluate(docs)
print("\n".join(r.errors))
