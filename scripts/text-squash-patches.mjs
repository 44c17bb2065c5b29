// Ink 6.8 patches, applied while bundling (see bundle-patches.mjs): a Text node's squashed text
// (its nested Texts' strings with their colours applied, sanitized) is kept on the node until
// the node or something inside it changes. Ink squashed every Text of the tree on every frame,
// twice when Yoga measured it (measured with 500 containers: the largest single cost of a key
// after the tokenizer, with the colour transforms and the sanitizer's lookups it makes).
// What changes a squashed text goes through Ink's DOM (a text node's value, a child added, moved
// or removed: each already marks the node for Yoga) or is a new colour transform on a re-rendered
// Text (the reconciler's commitUpdate; Ink's Text makes a new transform on every render, so any
// re-render clears it): both clear the node's kept text and its ancestors'. The DOM path also
// covers text changed without a render (React hiding and showing a suspended text).
export const TEXT_SQUASH_PATCHES = [
  {
    file: /ink[\\/]build[\\/]squash-text-nodes\.js$/,
    why: 'the squashed text kept on the node (cleared by opsdeckTextChanged in dom.js when it or a descendant changes)',
    find: 'const squashTextNodes = (node) => {\n    let text = \'\';\n',
    replace:
      'const squashTextNodes = (node) => {\n    const kept = node.opsdeckSquashed;\n    if (kept !== undefined) {\n        return kept;\n    }\n' +
      '    node.opsdeckSquashed = opsdeckSquash(node);\n    return node.opsdeckSquashed;\n};\n' +
      'const opsdeckSquash = (node) => {\n    let text = \'\';\n',
  },
  {
    file: /ink[\\/]build[\\/]dom\.js$/,
    why: 'clear the kept squashed texts of a changed node and its ancestors (a kept text implies kept texts below it, so the walk stops at the first node without one)',
    find: 'const markNodeAsDirty = (node) => {\n',
    replace:
      'export const opsdeckTextChanged = (node) => {\n' +
      '    for (let current = node; current !== undefined; current = current.parentNode) {\n' +
      '        if (current !== node && current.opsdeckSquashed === undefined) {\n            break;\n        }\n' +
      '        current.opsdeckSquashed = undefined;\n    }\n};\n' +
      'const markNodeAsDirty = (node) => {\n    opsdeckTextChanged(node);\n',
  },
  {
    file: /ink[\\/]build[\\/]reconciler\.js$/,
    why: 'import the kept-text invalidation',
    find: "import { createTextNode, appendChildNode, insertBeforeNode, removeChildNode, setStyle, setTextNodeValue, createNode, setAttribute, } from './dom.js';",
    replace: "import { createTextNode, appendChildNode, insertBeforeNode, removeChildNode, setStyle, setTextNodeValue, createNode, setAttribute, opsdeckTextChanged, } from './dom.js';",
  },
  {
    file: /ink[\\/]build[\\/]reconciler\.js$/,
    why: "a re-rendered Text's new colour transform changes its parent's squashed text",
    find: "                if (key === 'internal_transform') {\n                    node.internal_transform = value;\n                    continue;\n                }\n                if (key === 'internal_static') {\n                    node.internal_static = true;",
    replace: "                if (key === 'internal_transform') {\n                    node.internal_transform = value;\n                    opsdeckTextChanged(node);\n                    continue;\n                }\n                if (key === 'internal_static') {\n                    node.internal_static = true;",
  },
];
