import sys
from engine.deid import deidentify
t=sys.argv[1]
r=deidentify(t)
print(r.text)
for f in r.findings: print(f.kind, f.text, f.reason, f.refers_to, f.replacement)
