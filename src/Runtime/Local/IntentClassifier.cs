using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Agents.Runtime.Prompts;

namespace Agents.Runtime.Local;

/// <summary>The most likely intent of a message, its probability (0..1) and the runner-up's.</summary>
public sealed record IntentPrediction(string Intent, double Confidence, string RunnerUp, double RunnerUpConfidence);

/// <summary>
/// Multinomial logistic regression over folded word unigrams and bigrams plus character 3–5-grams,
/// trained at start-up on the intent examples of all languages at once, so a shopper who switches
/// language is still understood. It is language-aware: every word also appears tagged with the
/// language it was written in, so a word can mean different things in different languages.
/// Training is deterministic (fixed example order and seed) and takes a fraction of a second.
/// </summary>
public sealed class IntentClassifier
{
    private const int Epochs = 8;
    private const float LearningRate = 1.5f;
    private const float L2 = 1e-5f;
    private const int Seed = 20241122;

    private readonly Dictionary<string, int> _index;
    private readonly float[] _weights;
    private readonly int _stride;

    private IntentClassifier(IReadOnlyList<string> intents, Dictionary<string, int> index)
    {
        Intents = intents;
        _index = index;
        _stride = (intents.Count + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

        // Row 0 holds the biases (every message has feature 0 with value 1).
        _weights = new float[(index.Count + 1) * _stride];
    }

    public IReadOnlyList<string> Intents { get; }

    public TimeSpan TrainingTime { get; private set; }

    /// <summary>Trains on <paramref name="examples"/> per language (it, en, es).</summary>
    public static IntentClassifier Train(IReadOnlyDictionary<string, IReadOnlyList<IntentExample>> examples)
    {
        var started = Stopwatch.GetTimestamp();
        var intents = examples.Values.SelectMany(e => e).Select(e => e.Intent).Distinct().Order(StringComparer.Ordinal).ToList();
        var data = examples.OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(x => (x.Text, Language: e.Key, Label: intents.IndexOf(x.Intent))))
            .AsParallel().AsOrdered()
            .Select(x => (Features: IntentFeatures.Extract(x.Text, x.Language), x.Label))
            .ToList();

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, _) in data.SelectMany(d => d.Features))
        {
            index.TryAdd(name, index.Count + 1);
        }

        var classifier = new IntentClassifier(intents, index);
        classifier.Fit([.. data.Select(d => classifier.Indexed(d.Features))], [.. data.Select(d => d.Label)]);
        classifier.TrainingTime = Stopwatch.GetElapsedTime(started);
        return classifier;
    }

    /// <summary>Classifies <paramref name="text"/>, written in <paramref name="language"/>.</summary>
    public IntentPrediction Predict(string text, string language)
    {
        var probabilities = new float[_stride];
        Softmax(Indexed(IntentFeatures.Extract(text, language)), probabilities);
        var ranked = Enumerable.Range(0, Intents.Count).OrderByDescending(i => probabilities[i]).ThenBy(i => i).Take(2).ToList();
        return new IntentPrediction(Intents[ranked[0]], probabilities[ranked[0]], Intents[ranked[1]], probabilities[ranked[1]]);
    }

    /// <summary>Stochastic gradient descent on the cross-entropy, with a decaying rate and L2 weight decay on the weights it touches.</summary>
    /// <remarks>Always JIT-optimised: training runs at every start-up, Debug builds and tests included.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fit((int Index, float Value)[][] features, int[] labels)
    {
        var order = Enumerable.Range(0, features.Length).ToArray();
        var random = new Random(Seed);
        var gradient = new float[_stride];
        var width = Vector<float>.Count;
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            var rate = LearningRate / (1 + 0.2f * epoch);
            var decay = 1 - rate * L2;
            foreach (var i in order)
            {
                Softmax(features[i], gradient);
                gradient[labels[i]] -= 1;
                foreach (var (feature, value) in features[i])
                {
                    var weights = _weights.AsSpan(feature * _stride, _stride);
                    for (var k = 0; k < _stride; k += width)
                    {
                        (new Vector<float>(weights[k..]) * decay - new Vector<float>(gradient, k) * (rate * value)).CopyTo(weights[k..]);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Softmax((int Index, float Value)[] features, float[] scores)
    {
        Array.Clear(scores);
        var width = Vector<float>.Count;
        foreach (var (feature, value) in features)
        {
            var weights = _weights.AsSpan(feature * _stride, _stride);
            for (var k = 0; k < _stride; k += width)
            {
                (new Vector<float>(scores, k) + new Vector<float>(weights[k..]) * value).CopyTo(scores, k);
            }
        }

        var classes = Intents.Count;
        var max = float.MinValue;
        for (var c = 0; c < classes; c++)
        {
            max = Math.Max(max, scores[c]);
        }

        var sum = 0f;
        for (var c = 0; c < classes; c++)
        {
            scores[c] = MathF.Exp(scores[c] - max);
            sum += scores[c];
        }

        for (var c = 0; c < _stride; c++)
        {
            scores[c] = c < classes ? scores[c] / sum : 0;
        }
    }

    private (int Index, float Value)[] Indexed(List<(string Name, float Value)> features) =>
        [(0, 1f), .. features.Where(f => _index.ContainsKey(f.Name)).Select(f => (_index[f.Name], f.Value))];
}

/// <summary>
/// The features of a message: word unigrams (plain and tagged with the language) and bigrams, and
/// character 3–5-grams, of the folded text with e-mails, order numbers and numbers replaced by
/// placeholders. Each group is scaled to unit length, so long and short messages weigh alike.
/// </summary>
internal static partial class IntentFeatures
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static List<(string Name, float Value)> Extract(string text, string language)
    {
        var folded = TextNormalizer.Fold(text);
        folded = Email().Replace(folded, " zemail ");
        folded = OrderCode().Replace(folded, " zorder ");
        folded = Number().Replace(folded, " znum ");
        var words = TextNormalizer.Tokens(folded).Select(t => t.Folded).ToList();

        var wordFeatures = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            wordFeatures.Add("w:" + words[i]);
            wordFeatures.Add(language + ":" + words[i]);
            wordFeatures.Add("b:" + (i == 0 ? "^" : words[i - 1]) + " " + words[i]);
        }

        if (words.Count > 0)
        {
            wordFeatures.Add("b:" + words[^1] + " $");
        }

        var padded = " " + string.Join(' ', words) + " ";
        var charFeatures = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 3; n <= 5; n++)
        {
            for (var i = 0; i + n <= padded.Length; i++)
            {
                charFeatures.Add(string.Concat("c:", padded.AsSpan(i, n)));
            }
        }

        var features = new List<(string, float)>(wordFeatures.Count + charFeatures.Count);
        features.AddRange(wordFeatures.Select(f => (f, 1 / MathF.Sqrt(wordFeatures.Count))));
        features.AddRange(charFeatures.Select(f => (f, 1 / MathF.Sqrt(charFeatures.Count))));
        return features;
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b[a-z]{2,6}-\d{2,}(-\d+)*\b|#\d{3,}|\b\d{6,}\b")]
    private static partial Regex OrderCode();

    [GeneratedRegex(@"\d+([.,]\d+)?")]
    private static partial Regex Number();
}
