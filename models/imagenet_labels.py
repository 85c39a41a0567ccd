#!/usr/bin/env python3
"""ImageNet's 1000 class names, one per line in class-index order, from the Apache-2.0 npm
package @tensorflow-models/mobilenet (dist/imagenet_classes.js, a CommonJS object literal
{0: 'tench, Tinca tinca', ...}). The file is parsed as data, never executed.

Usage: imagenet_labels.py <imagenet_classes.js> <out.txt>   (run by models/prepare.mjs)
"""
import os
import re
import sys

ENTRY = re.compile(r"(\d+)\s*:\s*((?:'(?:[^'\\]|\\.)*'\s*\+?\s*)+)")
STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")


def parse(source):
    start = source.index('exports.IMAGENET_CLASSES = {')
    body = source[start:source.index('};', start)]
    labels = {}
    for index, literals in ENTRY.findall(body):
        text = ''.join(STRING.findall(literals))
        labels[int(index)] = re.sub(r"\\(.)", r"\1", text)
    if sorted(labels) != list(range(1000)):
        raise SystemExit(f'expected classes 0..999, got {len(labels)} entries')
    return [labels[i] for i in range(1000)]


def main():
    src, out = sys.argv[1:3]
    with open(src, encoding='utf-8') as f:
        labels = parse(f.read())
    with open(out + '.tmp', 'w', encoding='utf-8', newline='\n') as f:
        f.write('\n'.join(labels) + '\n')
    os.replace(out + '.tmp', out)
    print(f'imagenet_labels: {len(labels)} classes -> {out}')


if __name__ == '__main__':
    main()
