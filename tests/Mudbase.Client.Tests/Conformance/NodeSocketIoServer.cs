using System.Diagnostics;

namespace Mudbase.Tests.Conformance;

/// <summary>
/// The official Node <c>socket.io</c> server of tests/realtime-conformance (exact versions from its package-lock.json,
/// installed with <c>npm ci</c> by .ci/run, or by the first test that needs them), started as a child process on a free loopback port and killed on disposal.
/// The script also exits on its own after 60 s, so a crashed test run never leaves it behind.
/// </summary>
public sealed class NodeSocketIoServer : IAsyncLifetime
{
    public const string GoodToken = "conformance-good-token";

    private Process? _process;

    public Uri BaseUrl { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var folder = FindFolder();
        await Support.NodePackages.EnsureAsync(folder, "socket.io");

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.js");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add("60");
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Node.js (`node`) is not on PATH; the realtime conformance tests need it.", e);
        }

        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"The conformance server exited before listening (exit code {(_process.HasExited ? _process.ExitCode : -1)}).");
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                BaseUrl = new Uri($"http://127.0.0.1:{int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture)}");
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed; not waiting longer for the exit to be reported.
            }

            process.Dispose();
        }
    }

    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "realtime-conformance");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/realtime-conformance/server.js was not found above " + AppContext.BaseDirectory);
    }
}
