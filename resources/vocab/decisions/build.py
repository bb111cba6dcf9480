"""Rebuild tags.tsv from the per-tag decisions in this folder.

Each decisions file has one line per source tag (RAM list order): ``source|ru|category``
to keep it (``source>new`` renames it), or ``source|-|reason`` to drop it; added.txt
holds tags that are not in the source list. Run: python build.py [--write]
"""
import collections
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATS="scene nature weather time animal plant food drink object vehicle building person activity event document art clothing sport other".split()
REASONS={'syn':'near-synonym / duplicate','abs':'abstract, verb/adjective or too generic','body':'body part noise','sens':'sensitive label about people or violence','rare':'too technical, rare, brand or fictional name'}
CAP={'christmas':'Christmas','halloween':'Halloween','easter':'Easter','german':'German','persian':'Persian','siamese':'Siamese','french':'French','japanese':'Japanese','chinese':'Chinese','asian':'Asian','hindu':'Hindu','orthodox':'Orthodox','qr':'QR','tv':'TV','id':'ID','lego':'LEGO',"rubik's":"Rubik's"}
def cap(t): return ' '.join(CAP.get(w,w) for w in t.split(' '))
rows=[];drops=collections.Counter();renamed=[]
for f in sorted(glob.glob(os.path.join(HERE, 'd*.txt')))+[os.path.join(HERE, 'added.txt')]:
    for l in open(f,encoding='utf-8'):
        l=l.rstrip('\n')
        if not l: continue
        s,ru,c=l.split('|')
        src=s.split('>')[0]; tag=s.split('>')[-1]
        if ru=='-':
            assert c in REASONS,l; drops[c]+=1; continue
        assert c in CATS,l
        if '>' in s: renamed.append((src,tag))
        rows.append((cap(tag),ru,c,f.endswith('added.txt')))
print('kept from source',sum(1 for r in rows if not r[3]),'added',sum(1 for r in rows if r[3]),'total',len(rows))
print('dropped',sum(drops.values()),dict(drops))
ct=collections.Counter(r[0] for r in rows); print('dup tag',[t for t,n in ct.items() if n>1])
cr=collections.Counter(r[1] for r in rows); print('dup ru',[(t,[r[0] for r in rows if r[1]==t]) for t,n in cr.items() if n>1])
print('cats',collections.Counter(r[2] for r in rows).most_common())
if '--write' in sys.argv:
    with open(os.path.join(HERE, '..', 'tags.tsv'),'w',encoding='utf-8',newline='\n') as o:
        o.write('tag\tru\tcategory\n')
        for t,ru,c,_ in sorted(rows,key=lambda r:r[0].casefold()): o.write(f'{t}\t{ru}\t{c}\n')
    print('written')
if '--renamed' in sys.argv: print(renamed)
