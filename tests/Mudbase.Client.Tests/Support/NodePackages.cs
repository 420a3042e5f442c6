using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mudbase.Tests.Support;

/// <summary>
/// The npm packages of the realtime conformance programs (the official socket.io server and client), installed with
/// <c>npm ci</c> from their committed lock files the first time a test needs them, so that `dotnet test` alone runs every
/// test on a fresh machine (.ci/run installs them up front as well). Node and npm must be on PATH: without them the
/// tests fail, saying so, rather than pass unchecked.
/// </summary>
public static class NodePackages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Installs = new(StringComparer.Ordinal);

    /// <summary>Makes sure <paramref name="package"/> is installed under <paramref name="folder"/>'s node_modules.</summary>
    public static Task EnsureAsync(string folder, string package) =>
        Directory.Exists(Path.Combine(folder, "node_modules", package))
            ? Task.CompletedTask
            : Installs.GetOrAdd(folder, f => new Lazy<Task>(() => InstallAsync(f))).Value;

    private static async Task InstallAsync(string folder)
    {
        var start = new ProcessStartInfo("npm") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--prefix", folder, "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"npm is not on PATH, and {folder}'s packages are not installed (Node.js 20 and npm are needed): {e.Message}", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(limit.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci --prefix {folder} failed ({process.ExitCode}): {await error}{await output}");
            }
        }
    }
}
