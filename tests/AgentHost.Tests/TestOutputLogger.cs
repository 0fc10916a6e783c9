using Microsoft.Extensions.Logging;

namespace Agents.AgentHost.Tests;

/// <summary>
/// Host warnings and errors go to the output of the test that caused them when the request runs
/// in its context, and always to TestResults/host-warnings.log, so a 500 shows its exception.
/// </summary>
public sealed class TestOutputLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(categoryName);

    public void Dispose()
    {
    }

    private static readonly string File = Path.Combine(RepositoryRoot(), "TestResults", "host-warnings.log");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "Agents.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        Directory.CreateDirectory(Path.Combine(root, "TestResults"));
        return root;
    }

    private sealed class TestOutputLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var line = $"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}";
                TestContext.Current.TestOutputHelper?.WriteLine(line);
                lock (File)
                {
                    System.IO.File.AppendAllText(File, $"{DateTime.UtcNow:O} {line}\n");
                }
            }
        }
    }
}
