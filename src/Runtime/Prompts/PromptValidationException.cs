namespace Agents.Runtime.Prompts;

/// <summary>One thing wrong in the prompts folder, at a file (relative to the folder's parent) and line (0: the whole file).</summary>
public sealed record PromptProblem(string File, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}

/// <summary>Thrown by <see cref="PromptLibrary.Load"/> with every problem the prompts folder has, not just the first.</summary>
public sealed class PromptValidationException : Exception
{
    public PromptValidationException(IReadOnlyList<PromptProblem> problems)
        : base($"The prompts have {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems)}")
    {
        Problems = problems;
    }

    public IReadOnlyList<PromptProblem> Problems { get; }
}
