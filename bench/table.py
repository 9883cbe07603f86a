#!/usr/bin/env python3
"""Turns the markdown tables in the benches' outputs into the rows of one table.

    bench/table.py NAME=FILE...

Every markdown table in FILE (a header row, a separator row, data rows) becomes rows of
`| bench | measurement | figures |`: the measurement is the row's first cell, the figures are the other
cells, each named by its column's header. Lines outside tables are ignored.
"""
import sys


def cells(line):
    return [c.strip() for c in line.strip().strip('|').split('|')]


def rows(text):
    header = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.lstrip().startswith('|'):
            header = None
            continue
        if header is None:
            following = lines[i + 1] if i + 1 < len(lines) else ''
            if set(following.replace('|', '').strip()) <= set('-: ') and following.strip().startswith('|'):
                header = cells(line)
            continue
        row = cells(line)
        if set(''.join(row)) <= set('-: '):
            continue
        figures = '; '.join(f'{h}: {v}' for h, v in zip(header[1:], row[1:]) if v)
        yield row[0], figures


print('| bench | measurement | figures |')
print('|---|---|---|')
for argument in sys.argv[1:]:
    name, _, path = argument.partition('=')
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
    except OSError:
        print(f'| {name} | did not run | |')
        continue
    found = False
    for measurement, figures in rows(text):
        found = True
        print(f'| {name} | {measurement} | {figures} |')
    if not found:
        print(f'| {name} | no result (see its log) | |')
