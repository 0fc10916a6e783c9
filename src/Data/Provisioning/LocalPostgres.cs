using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace Agents.Data.Provisioning;

public sealed record LocalPostgresOptions
{
    /// <summary>Folder for the cluster, its log and its generated password (git-ignored <c>.data/</c> by default).</summary>
    public required string RootDirectory { get; init; }
    /// <summary>Fixed port; when null the cluster keeps the port chosen at initdb (54329 or the next free one).</summary>
    public int? Port { get; init; }
    public string Database { get; init; } = "agents";
    public int PostgresMajor { get; init; } = 15;
}

public sealed record ProvisionResult(string ConnectionString, IReadOnlyList<string> Actions, TimeSpan Elapsed)
{
    public bool WasNoOp => Actions.Count == 0;
}

public sealed class PostgresProvisioningException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Makes a local PostgreSQL cluster with pgvector exist and run: installs PostgreSQL and builds
/// pgvector when missing (eng/install-postgres.sh), initdb into the project's data folder, starts
/// it on 127.0.0.1, creates the database. Every step is skipped when already done, so a warm
/// call costs one connection attempt. Processes that provision at once are serialised by a lock file.
/// </summary>
public static class LocalPostgres
{
    private const string User = "agents";

    public static async Task<ProvisionResult> EnsureAsync(LocalPostgresOptions options, Action<string> progress, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var actions = new List<string>();
        Directory.CreateDirectory(options.RootDirectory);
        var passwordFile = Path.Combine(options.RootDirectory, "postgres.password");
        var dataDirectory = DataDirectory(options);

        using var fileLock = await AcquireLockAsync(Path.Combine(options.RootDirectory, "provision.lock"), progress, cancellationToken);
        options = options with { Port = ResolvePort(options) };

        if (File.Exists(passwordFile) && await CanConnectAsync(Admin(options, passwordFile), cancellationToken))
        {
            await EnsureDatabaseAsync(options, passwordFile, actions, progress, cancellationToken);
            return new ProvisionResult(ConnectionString(options, passwordFile, options.Database), actions, Stopwatch.GetElapsedTime(started));
        }

        var bin = $"/usr/lib/postgresql/{options.PostgresMajor}/bin";
        if (!File.Exists(Path.Combine(bin, "postgres")) || !HasPgvector(bin, options.PostgresMajor))
        {
            progress($"PostgreSQL {options.PostgresMajor} with pgvector is not installed: installing it (first run only, about a minute)");
            await InstallAsync(options, progress, cancellationToken);
            actions.Add("installed");
        }

        var asPostgres = Environment.UserName == "root";
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            progress($"initdb {dataDirectory}");
            await InitDbAsync(bin, dataDirectory, passwordFile, asPostgres, cancellationToken);
            actions.Add("initialized");
        }

        progress($"starting PostgreSQL on 127.0.0.1:{options.Port}");
        var log = Path.Combine(Path.GetDirectoryName(dataDirectory)!, "postgres.log");
        if (asPostgres)
        {
            // The server writes its log as the postgres user.
            await File.AppendAllTextAsync(log, "", cancellationToken);
            await RunCheckedAsync("chown", ["postgres:postgres", log], asPostgres: false, cancellationToken);
        }

        // 200 connections: several hosts' pools (Npgsql's default maximum is 100 each) plus tools and benchmarks.
        var startOptions = $"-p {options.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        var (code, output) = await RunAsync(Path.Combine(bin, "pg_ctl"),
            ["-D", dataDirectory, "-l", log, "-w", "-t", "60", "-o", startOptions, "start"], asPostgres, cancellationToken);
        if (code != 0)
        {
            throw new PostgresProvisioningException(
                $"pg_ctl could not start the cluster in {dataDirectory} (exit {code}): {output.Trim()}\n" +
                $"See {log}. If port {options.Port} is taken, set Database__Port to a free port (or delete {options.RootDirectory}/postgres.port).");
        }

        actions.Add("started");
        if (!await CanConnectAsync(Admin(options, passwordFile), cancellationToken))
        {
            throw new PostgresProvisioningException(
                $"The cluster started but 127.0.0.1:{options.Port} refuses our credentials: another PostgreSQL may own that port. " +
                "Stop it or set Database__Port to a free port.");
        }

        await EnsureDatabaseAsync(options, passwordFile, actions, progress, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        progress($"PostgreSQL ready on 127.0.0.1:{options.Port} ({string.Join(", ", actions)}; {elapsed.TotalSeconds:F1} s)");
        return new ProvisionResult(ConnectionString(options, passwordFile, options.Database), actions, elapsed);
    }

    /// <summary>Stops the cluster (tests use it to prove a stopped cluster comes back).</summary>
    public static async Task StopAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var dataDirectory = DataDirectory(options);
        var bin = $"/usr/lib/postgresql/{options.PostgresMajor}/bin";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", dataDirectory, "-m", "fast", "-w", "stop"],
            Environment.UserName == "root", cancellationToken);
    }

    public static string ConnectionString(LocalPostgresOptions options, string database) =>
        ConnectionString(options with { Port = ResolvePort(options) }, Path.Combine(options.RootDirectory, "postgres.password"), database);

    public const int DefaultPort = 54329;

    /// <summary>
    /// The configured port, else the one this cluster was given before (postgres.port), else the
    /// first free port from 54329: two checkouts on one machine each get their own cluster.
    /// </summary>
    private static int ResolvePort(LocalPostgresOptions options)
    {
        if (options.Port is { } configured)
        {
            return configured;
        }

        var file = Path.Combine(options.RootDirectory, "postgres.port");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var saved))
        {
            return saved;
        }

        // A cluster initialised before ports were remembered ran on the default.
        var port = DefaultPort;
        while (!File.Exists(Path.Combine(DataDirectory(options), "PG_VERSION")) && !IsFree(port))
        {
            port++;
        }

        File.WriteAllText(file, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return port;
    }

    /// <summary>
    /// The cluster's folder. As root the server runs as the postgres user, who must be able to
    /// reach it: a checkout under a private folder (such as /root) keeps its cluster in /var/lib instead.
    /// </summary>
    private static string DataDirectory(LocalPostgresOptions options)
    {
        var folder = $"pg{options.PostgresMajor}";
        if (Environment.UserName != "root" || OperatingSystem.IsWindows() || ReachableByOthers(options.RootDirectory))
        {
            return Path.Combine(options.RootDirectory, folder);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.RootDirectory)))[..12];
        var shared = Path.Combine("/var/lib/agents-postgres", hash);
        Directory.CreateDirectory(shared);
        return Path.Combine(shared, folder);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool ReachableByOthers(string path)
    {
        for (var directory = new DirectoryInfo(path).Parent; directory is not null; directory = directory.Parent)
        {
            if (!directory.UnixFileMode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static string ConnectionString(LocalPostgresOptions options, string passwordFile, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = options.Port ?? ResolvePort(options),
            Username = User,
            Password = File.ReadAllText(passwordFile).Trim(),
            Database = database,
        }.ConnectionString;

    // One-off administrative connections are never pooled: a pooled connection would outlive a
    // cluster restart and fail the next call with 57P01 (terminated by administrator command).
    private static string Admin(LocalPostgresOptions options, string passwordFile) =>
        new NpgsqlConnectionStringBuilder(ConnectionString(options, passwordFile, "postgres")) { Pooling = false }.ConnectionString;

    private static bool HasPgvector(string bin, int major)
    {
        // pg_config may be absent without the dev package; Debian's share dir is fixed.
        return File.Exists($"/usr/share/postgresql/{major}/extension/vector.control")
            || File.Exists(Path.Combine(bin, "..", "share", "extension", "vector.control"));
    }

    private static async Task InstallAsync(LocalPostgresOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Provisioning", "install-postgres.sh");
        if (!File.Exists(script))
        {
            throw new PostgresProvisioningException($"The install script is missing from {script}.");
        }

        var info = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PG_MAJOR"] = options.PostgresMajor.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        using var process = Process.Start(info) ?? throw new PostgresProvisioningException("Could not start bash.");
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) progress(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (errors) errors.AppendLine(line); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new PostgresProvisioningException(
                $"PostgreSQL {options.PostgresMajor} with pgvector could not be installed on this machine (exit {process.ExitCode}).\n" +
                $"{errors.ToString().Trim()}\n" +
                "Alternative: run PostgreSQL with pgvector in docker and point the host at it:\n" +
                "  docker run -d --name agents-pg -e POSTGRES_PASSWORD=agents -p 5432:5432 pgvector/pgvector:pg17\n" +
                "  export ConnectionStrings__Agents=\"Host=127.0.0.1;Port=5432;Username=postgres;Password=agents;Database=agents\"");
        }
    }

    private static async Task InitDbAsync(string bin, string dataDirectory, string passwordFile, bool asPostgres, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var initPasswordFile = Path.Combine(Path.GetTempPath(), $"agents-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(initPasswordFile, password, cancellationToken);
        try
        {
            if (asPostgres)
            {
                await RunCheckedAsync("chown", ["-R", "postgres:postgres", dataDirectory, initPasswordFile], asPostgres: false, cancellationToken);
            }

            await RunCheckedAsync(Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", User, $"--pwfile={initPasswordFile}", "--auth-host=scram-sha-256",
                 "--auth-local=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"], asPostgres, cancellationToken);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task EnsureDatabaseAsync(LocalPostgresOptions options, string passwordFile, List<string> actions, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Admin(options, passwordFile));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", options.Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            progress($"creating database {options.Database}");
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{options.Database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            actions.Add("created database");
        }
    }

    private static async Task<bool> CanConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task RunCheckedAsync(string file, string[] arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        var (code, output) = await RunAsync(file, arguments, asPostgres, cancellationToken);
        if (code != 0)
        {
            throw new PostgresProvisioningException($"{Path.GetFileName(file)} failed (exit {code}): {output.Trim()}");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, bool asPostgres, CancellationToken cancellationToken)
    {
        // initdb and postgres refuse to run as root; on a root machine they run as the postgres user.
        var info = asPostgres
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = "/";
        using var process = Process.Start(info) ?? throw new PostgresProvisioningException($"Could not start {file}.");
        // pg_ctl's server child writes to the -l log file, so these pipes close when pg_ctl exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<FileStream> AcquireLockAsync(string path, Action<string> progress, CancellationToken cancellationToken)
    {
        var announced = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (!announced)
                {
                    progress("another process is provisioning PostgreSQL; waiting for it");
                    announced = true;
                }

                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
