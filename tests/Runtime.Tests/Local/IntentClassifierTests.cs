using System.Diagnostics;
using Agents.Runtime.Local;
using Agents.Runtime.Prompts;
using Agents.Runtime.Tests.Prompts;

namespace Agents.Runtime.Tests.Local;

public class IntentClassifierTests(ITestOutputHelper output)
{
    [Fact]
    public void Predict_HeldOutExamples_AtLeastNinetyPercentPerLanguage()
    {
        // Every 5th example of each intent is held out; the model trains on the rest.
        var split = PromptSchema.Languages.ToDictionary(l => l, l => RepositoryPrompts.Library.IntentExamples(l)
            .GroupBy(e => e.Intent).SelectMany(g => g.Select((e, i) => (Example: e, HeldOut: i % 5 == 4))).ToList());
        var started = Stopwatch.GetTimestamp();
        var classifier = IntentClassifier.Train(split.ToDictionary(s => s.Key, s => (IReadOnlyList<IntentExample>)[.. s.Value.Where(x => !x.HeldOut).Select(x => x.Example)]));
        var trainingTime = Stopwatch.GetElapsedTime(started);

        foreach (var (language, examples) in split)
        {
            var heldOut = examples.Where(x => x.HeldOut).Select(x => x.Example).ToList();
            var wrong = heldOut.Select(e => (e, Predicted: classifier.Predict(e.Text, language))).Where(x => x.Predicted.Intent != x.e.Intent).ToList();
            var accuracy = 1 - (double)wrong.Count / heldOut.Count;
            output.WriteLine($"{language}: held-out accuracy {accuracy:P1} ({heldOut.Count - wrong.Count}/{heldOut.Count})");
            foreach (var (example, predicted) in wrong)
            {
                output.WriteLine($"  '{example.Text}' is {example.Intent}, predicted {predicted.Intent} ({predicted.Confidence:F2})");
            }

            Assert.True(accuracy >= 0.9, $"{language}: held-out accuracy {accuracy:P1}");
        }

        output.WriteLine($"training: {trainingTime.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void Train_SameExamples_SameModel()
    {
        var examples = PromptSchema.Languages.ToDictionary(l => l, RepositoryPrompts.Library.IntentExamples);

        var again = IntentClassifier.Train(examples);

        foreach (var text in (string[])["vegan gifts under 30 euro", "boh", "dov'è il mio ordine?", "¿tenéis quesos?"])
        {
            Assert.Equal(RepositoryPrompts.Model.Classifier.Predict(text, "it"), again.Predict(text, "it"));
        }
    }

    [Theory]
    [InlineData("it", "asdfgh")]
    [InlineData("en", "qwerty zxcv")]
    [InlineData("es", "xyzzy plugh")]
    public void Predict_Gibberish_HasLowConfidence(string language, string text)
    {
        Assert.True(RepositoryPrompts.Model.Classifier.Predict(text, language).Confidence < 0.45);
    }

    [Theory]
    [InlineData("it", "ciao, avete regali vegani sotto i 30 euro?", "product_search")]
    [InlineData("en", "hi! where's my order SDS-2024-000123", "order_status")]
    [InlineData("es", "quiero hablar con una persona, por favor", "human")]
    [InlineData("it", "Quanto costa la spedizione in Germania?", "faq")]
    [InlineData("en", "i'm going to the beach with my dog", "off_topic")]
    [InlineData("en", "SDS-2024-000123", "order_status")]
    public void Predict_MixedMessage_FindsTheMainIntent(string language, string text, string intent)
    {
        var prediction = RepositoryPrompts.Model.Classifier.Predict(text, language);

        Assert.Equal(intent, prediction.Intent);
        Assert.True(prediction.Confidence >= 0.45, $"{prediction}");
    }
}
