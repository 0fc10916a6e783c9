using Agents.Runtime.Prompts;

namespace Agents.Runtime.Local;

/// <summary>
/// Everything the local model needs, built once from a prompt library: the intent classifier is
/// trained here (well under a second), so create one per process and share it.
/// </summary>
public sealed class LocalModel
{
    public const string ModelId = "local-intent-v1";

    public LocalModel(PromptLibrary prompts)
    {
        Prompts = prompts;
        Classifier = IntentClassifier.Train(PromptSchema.Languages.ToDictionary(l => l, prompts.IntentExamples));
    }

    public PromptLibrary Prompts { get; }

    public IntentClassifier Classifier { get; }

    /// <summary>Loads and validates the prompts folder at <paramref name="promptsDirectory"/> and trains on it.</summary>
    public static LocalModel Load(string promptsDirectory) => new(PromptLibrary.Load(promptsDirectory));
}
