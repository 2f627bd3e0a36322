"""Derive patterns/drugs.csv (curated core + DrugBank ids/synonyms) and
patterns/drugs_drugbank.csv (broad generic names) from the facts in the
drug-named-entity-recognition 2.0.9 dictionary (MIT; DrugBank open vocabulary,
MeSH, MedlinePlus). Run once by hand; outputs are committed data.

usage: python tools/build_drug_lexicon.py PATTERNS_DIR [drug_ner_dictionary.pkl.bz2]
(needs wordfreq 3.x; the curated core is tools/drugs_core.txt)."""
import bz2, csv, io, os, pickle, re, sys
from wordfreq import zipf_frequency

OUT = sys.argv[1]
PKL = sys.argv[2] if len(sys.argv) > 2 else '/tmp/dner_dl/x/drug_named_entity_recognition/drug_ner_dictionary.pkl.bz2'
CORE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'drugs_core.txt')
d = pickle.load(bz2.open(PKL))
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

# A salt of a mineral given as a medicine (calcium carbonate, potassium chloride, magnesium sulfate,
# ferrous sulfate): its two words are common English, so the word-frequency filter below would drop
# it, yet the pair is a medicine name, never an English phrase. Kept when the dictionary lists the
# pair and either the cation is a therapeutic electrolyte and the anion one given as a medicine, or a
# patient monograph (MedlinePlus, NHS) exists. Reagents (oxides, hydroxides, phosphates without a
# monograph) stay out; the element alone (potassium, calcium, iron) is a lab analyte and stays out.
ELECTROLYTE = {'sodium', 'potassium', 'calcium', 'magnesium'}
METAL = ELECTROLYTE | {'ferrous', 'ferric', 'zinc', 'lithium', 'aluminum', 'aluminium'}
MED_ANION = {'carbonate', 'bicarbonate', 'chloride', 'sulfate', 'sulphate', 'gluconate', 'citrate',
             'lactate', 'acetate', 'fumarate', 'iodide', 'glycerophosphate'}
SUPPLEMENT_ANION = {'sulfate', 'sulphate', 'gluconate', 'fumarate', 'carbonate', 'citrate'}
# infusion fluids and vehicles, reagents, bone-void filler: not drugs given
NOT_SALT_DRUG = {'sodium chloride', 'sodium lactate', 'sodium carbonate', 'potassium carbonate', 'calcium sulfate',
                 'calcium sulphate'}


def medicinal_salt(c, data):
    words = c.split()
    if len(words) != 2 or words[0] not in METAL or c in NOT_SALT_DRUG:
        return False
    cation, anion = words
    if anion not in MED_ANION | {'oxide', 'hydroxide', 'phosphate'}:
        return False
    if data.get('medline_plus_id') or data.get('nhs_url'):
        return True
    return anion in MED_ANION and (cation in ELECTROLYTE or anion in SUPPLEMENT_ANION and cation in METAL - {'aluminum', 'aluminium'})


# British and INN spelling twins that the dictionary does not always list (oestradiol, cefalexin,
# sulphasalazine, aluminium hydroxide): generated from each name and kept when not an English word
TWINS = [(re.compile(r'sulph'), 'sulf'), (re.compile(r'sulf'), 'sulph'), (re.compile(r'^ceph'), 'cef'),
         (re.compile(r'^oestr(?=[aio])|(?<=ethinyl)oestr'), 'estr'), (re.compile(r'^estr(?=[aio])|(?<=ethinyl)estr'), 'oestr'),
         (re.compile(r'aluminum'), 'aluminium'), (re.compile(r'aluminium'), 'aluminum')]


def twins(name):
    out = set()
    for rx, rep in TWINS:
        t = rx.sub(rep, name)
        if t != name and all(z(w) < 2.0 or w in CHEM | METAL | MED_ANION | {'oxide', 'hydroxide'} for w in t.split()):
            out.add(t)
    return out

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
for line in open(CORE):
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
    # a product class named without a product keeps only the forms written here (no 'interferons')
    for c in ([] if name in ('granulocyte colony-stimulating factor', 'interferon') else sorted(canons)):
        for v in variants(c):
            if v not in syns and v != name:
                extra.append(v)
    allsyn = set(syns + extra) - {name}
    allsyn = sorted(allsyn | {t for v in [name] + sorted(allsyn) for t in twins(v)} - {name})
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
             '# MedlinePlus), filtered to unambiguous variants that are not common English words (wordfreq zipf < 3),\n'
             '# plus generated British/INN spelling twins (sulph/sulf, ceph/cef, oestr/estr). Where the INN and\n'
             '# the USAN or BAN differ (salbutamol/albuterol, pethidine/meperidine) the INN is the name.\n'
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
    if not (db or data.get('nhs_url') and medicinal_salt(c, data)) or c in core_names or c in core_surfaces or c in STOP:
        continue
    if not OKCHARS.match(c) or c.count(' ') > 2 or CODE.match(c) or len(c) < 5:
        continue
    words = c.replace('-', ' ').split()
    if any(w.isdigit() for w in words):
        continue
    salt = medicinal_salt(c, data)
    if not salt and (not all(z(w) < 3.0 or w in CHEM for w in words) or z(c) >= 3.0):
        continue
    # a medicine, not a food, allergen extract, element or reagent: a MedlinePlus monograph,
    # a Wikipedia article, an INN stem, or a MeSH chemical tree other than elements (D01)
    if not salt and not (data.get('medline_plus_id') or data.get('wikipedia_url') or INN_STEM.search(c)
            or any(not t.startswith('D01') for t in data.get('mesh_tree', []))
            or (data.get('smiles') and not INORGANIC.search(c) and not re.search(r'\[[A-Z][a-z]?\]$', data['smiles']))):
        continue
    # spelling variants and salts only (share the first four letters): brands of the long tail
    # collide with words of the trade (Giemsa, endometrioid, sitemap)
    syns = [v for v in variants(c, 2.0) if v != c and v not in core_surfaces
            and (v[:4] == c[:4] or INN_STEM.search(v))]
    syns += [t for v in [c] + syns for t in twins(v) if t != c and t not in core_surfaces
             and (c in v2c.get(t, [c]) or not any(c2d[x].get('drugbank_id') for x in v2c[t]))]
    broad.append((c, db, '|'.join(sorted(set(syns)))))
with open(OUT + '/drugs_drugbank.csv', 'w', newline='') as fh:
    fh.write('# source: generic drug names with DrugBank ids and their synonyms/brands, derived as facts from the\n'
             '# dictionary of the PyPI package drug-named-entity-recognition 2.0.9 (MIT; DrugBank open vocabulary\n'
             '# CC0, MeSH, MedlinePlus). Kept: entries with a DrugBank id whose words are not common English\n'
             '# (wordfreq zipf < 3) that are medicines (a MedlinePlus monograph, a Wikipedia\n'
             '# article, an INN stem, a MeSH chemical tree other than elements, or a structure that is\n'
             '# not an element or an inorganic reagent; not foods or allergen extracts), their spelling variants and salts (zipf < 2,\n'
             '# same first four letters) and their British/INN spelling twins (sulphate, cefalexin, oestradiol),\n'
             '# no research codes, minus patterns/drugs_stop.csv. Mineral salts given as medicines (calcium\n'
             '# carbonate, potassium chloride, magnesium sulfate, ferrous sulfate) are kept although their words\n'
             '# are common: a therapeutic cation with a medicinal anion, or a MedlinePlus/NHS monograph (ferrous\n'
             '# sulfate has no DrugBank id); the element alone stays out (a lab analyte). The curated\n'
             '# patterns/drugs.csv wins where both list a name.\n')
    w = csv.writer(fh, lineterminator='\n')
    w.writerow(['name', 'drugbank', 'synonyms'])
    for r in broad:
        w.writerow(r)
print(len(rows), len(broad), sum(len(r[2].split('|')) for r in broad))
