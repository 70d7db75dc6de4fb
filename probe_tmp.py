import sys
from engine.deid import recognizer
for line in sys.stdin.read().strip().split("\n"):
    pieces = recognizer.segments(line, candidates_only=False)
    tags = recognizer.tagger().tag([p for _, p in pieces])
    out=[]
    for (o,p),t in zip(pieces,tags):
        out.append(p+"\n"+t)
    spans=[(line[o+m.start():o+m.end()]) for (o,p),t in zip(pieces,tags) for m in recognizer._SPAN.finditer(t) for _ in [0] if True]
    print(" | ".join(f"{line[o+m.start():o+m.end()]}:{m.group()[0]}" for (o,p),t in zip(pieces,tags) for m in recognizer._SPAN.finditer(t)), "  <<", line[:40])
