"""Derive patterns/drugs.csv (curated core + DrugBank ids/synonyms) and
patterns/drugs_drugbank.csv (broad generic names) from the facts in the
drug-named-entity-recognition 2.0.9 dictionary (MIT; DrugBank open vocabulary,
MeSH, MedlinePlus). Run once by hand; outputs are committed data."""
import bz2, csv, io, pickle, re, sys
from wordfreq import zipf_frequency

OUT = sys.argv[1]
d = pickle.load(bz2.open('/tmp/dner_dl/x/drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2'))
v2c, c2d = d['drug_variant_to_canonical'], d['drug_canonical_to_data']
inv = {}
for v, cs in v2c.items():
    for c in cs:
        inv.setdefault(c, []).append(v)

CHEM = set("acid sodium potassium calcium magnesium hydrochloride sulfate sulphate acetate citrate phosphate "
           "alfa alpha beta gamma pegol liposomal liposome mesylate maleate tartrate fumarate succinate "
           "bromide chloride nitrate besylate".split())
STOP = {r[0] for r in csv.reader(l for l in open(OUT + '/drugs_stop.csv') if not l.startswith('#')) if r}
# common INN stems (WHO stem book): a synonym ending so is an INN-like name, not a trade name
INN_STEM = re.compile(r"^[a-z]{3,}(?:azole|amide|semide|amine|mab|nib|cillin|mycin|micin|cycline|floxacin|pril|sartan|"
                      r"olol|dipine|statin|tidine|prazole|parin|xaban|gatran|vir|platin|rubicin|taxel|tecan|oxef|"
                      r"cef[a-z]+|zepam|zolam|barbital|caine|profen|fenac|triptan|setron|lukast|olone|sone|tinib|"
                      r"izole|izol|afil|gliptin|glitazone|dronate|tropium|curium|mizole|terol|pamil|triptyline|"
                      r"oxetine|peridol|apine|idone|etine)$")
INORGANIC = re.compile(r"\b(?:acid|hydroxide|chloride|sulfide|sulfate|nitrite|nitrate|cation|oxide|carbonate|"
                       r"bicarbonate|citrate|lactate|silicate|iodide|phosphate|glycol)\b")
CODE = re.compile(r'^[a-z]{1,6}[- ]?\d{1,7}[a-z]?$')
OKCHARS = re.compile(r'^[a-z0-9][a-z0-9 \-]*[a-z0-9]$')

def z(w):
    return zipf_frequency(w, 'en')

def good_variant(v, limit=3.0):
    if not OKCHARS.match(v) or v.count(' ') > 3 or v in STOP:
        return False
    if CODE.match(v) or len(v) < 5:
        return False
    words = v.replace('-', ' ').split()
    if any(w.isdigit() for w in words) and not re.match(r'^\d-', v):
        return False
    return all(z(w) < limit or w in CHEM for w in words) and z(v) < limit

def variants(canon, limit=3.0):
    out = []
    for v in inv.get(canon, []):
        if len(v2c[v]) == 1 and good_variant(v, limit):
            out.append(v)
    return out

# ---- curated core
rows = []
core_names = set()
core_surfaces = set()
for line in open('/tmp/drugwork/core.txt'):
    if line.startswith('#') or not line.strip():
        continue
    name, atc, syn = [x.strip() for x in line.rstrip('\n').split('|')]
    syns = [s for s in syn.split(',') if s]
    canons = set()
    for s in [name] + syns:
        for c in v2c.get(s, []):
            canons.add(c)
    db = ''
    for c in sorted(canons):
        if c2d[c].get('drugbank_id'):
            db = c2d[c]['drugbank_id']
            if c == name or name in inv.get(c, []):
                break
    extra = []
    for c in ([] if name == 'granulocyte colony-stimulating factor' else sorted(canons)):
        for v in variants(c):
            if v not in syns and v != name:
                extra.append(v)
    allsyn = sorted(set(syns + extra) - {name})
    if '/' in name and not db:   # a fixed combination: the ids of its parts
        parts = [(c2d.get(p) or {}).get('drugbank_id') for p in name.split('/')]
        db = ';'.join(parts) if all(parts) else ''
    db = {'irinotecan': 'DB00762'}.get(name, db)  # the dictionary's DB05482 is not irinotecan
    core_names.add(name)
    core_surfaces.update([name] + allsyn)
    fuzzy = [x for x in [name] + syns if len(x) >= 7 and re.fullmatch(r'[a-z]+(?:-[a-z]+)?', x)]
    rows.append((name, '|'.join(allsyn), atc, db, '|'.join(fuzzy), syns[0] if syns else name))
with open(OUT + '/drugs.csv', 'w', newline='') as fh:
    fh.write('# source: curated oncology and case-report drug lexicon written for this project: INN names,\n'
             '# ATC codes from the WHO ATC/DDD index (2024 codes, L01E/L01F after the 2022 revision),\n'
             '# DrugBank ids and extra synonyms/brands taken as facts from the dictionary of the PyPI package\n'
             '# drug-named-entity-recognition 2.0.9 (MIT; built from the DrugBank open vocabulary CC0, MeSH and\n'
             '# MedlinePlus), filtered to unambiguous variants that are not common English words (wordfreq zipf < 3).\n'
             '# name: the lower-case INN the SCHEMA wants; synonyms: |-separated surface forms; letters-only\n'
             '# forms of <= 4 letters match only when written in capitals (IFO, DOX, EPI); fuzzy: the forms a\n'
             '# misspelt or OCR-damaged word is compared with (the INN and the hand-written synonyms).\n')
    w = csv.writer(fh, lineterminator='\n')
    w.writerow(['name', 'synonyms', 'atc', 'drugbank', 'fuzzy', 'example'])
    for r in rows:
        w.writerow(r)

# ---- broad
broad = []
for c, data in sorted(c2d.items()):
    db = data.get('drugbank_id')
    if not db or c in core_names or c in core_surfaces or c in STOP:
        continue
    if not OKCHARS.match(c) or c.count(' ') > 2 or CODE.match(c) or len(c) < 5:
        continue
    words = c.replace('-', ' ').split()
    if any(w.isdigit() for w in words):
        continue
    if not all(z(w) < 3.0 or w in CHEM for w in words) or z(c) >= 3.0:
        continue
    # a medicine, not a food, allergen extract, element or reagent: a MedlinePlus monograph,
    # a Wikipedia article, an INN stem, or a MeSH chemical tree other than elements (D01)
    if not (data.get('medline_plus_id') or data.get('wikipedia_url') or INN_STEM.search(c)
            or any(not t.startswith('D01') for t in data.get('mesh_tree', []))
            or (data.get('smiles') and not INORGANIC.search(c) and not re.search(r'\[[A-Z][a-z]?\]$', data['smiles']))):
        continue
    # spelling variants and salts only (share the first four letters): brands of the long tail
    # collide with words of the trade (Giemsa, endometrioid, sitemap)
    syns = [v for v in variants(c, 2.0) if v != c and v not in core_surfaces
            and (v[:4] == c[:4] or INN_STEM.search(v))]
    broad.append((c, db, '|'.join(sorted(set(syns)))))
with open(OUT + '/drugs_drugbank.csv', 'w', newline='') as fh:
    fh.write('# source: generic drug names with DrugBank ids and their synonyms/brands, derived as facts from the\n'
             '# dictionary of the PyPI package drug-named-entity-recognition 2.0.9 (MIT; DrugBank open vocabulary\n'
             '# CC0, MeSH, MedlinePlus). Kept: entries with a DrugBank id whose words are not common English\n'
             '# (wordfreq zipf < 3) that are medicines (a MedlinePlus monograph, a Wikipedia\n'
             '# article, an INN stem, a MeSH chemical tree other than elements, or a structure that is\n'
             '# not an element or an inorganic reagent; not foods or allergen extracts), their spelling variants and salts (zipf < 2,\n'
             '# same first four letters), no research codes, minus patterns/drugs_stop.csv. The curated\n'
             '# patterns/drugs.csv wins where both list a name.\n')
    w = csv.writer(fh, lineterminator='\n')
    w.writerow(['name', 'drugbank', 'synonyms'])
    for r in broad:
        w.writerow(r)
print(len(rows), len(broad), sum(len(r[2].split('|')) for r in broad))
