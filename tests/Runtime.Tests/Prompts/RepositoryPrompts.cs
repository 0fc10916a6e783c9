using Agents.Runtime.Local;
using Agents.Runtime.Prompts;

namespace Agents.Runtime.Tests.Prompts;

/// <summary>The repository's own prompts/ folder, loaded (and the local model trained) once for all tests.</summary>
public static class RepositoryPrompts
{
    private static readonly Lazy<PromptLibrary> LazyLibrary = new(() => PromptLibrary.Load(Folder));
    private static readonly Lazy<LocalModel> LazyModel = new(() => new LocalModel(Library));

    public static string Folder => Path.Combine(RepositoryRoot(), "prompts");

    public static PromptLibrary Library => LazyLibrary.Value;

    public static LocalModel Model => LazyModel.Value;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Agents.sln not found above " + AppContext.BaseDirectory);
    }
}
