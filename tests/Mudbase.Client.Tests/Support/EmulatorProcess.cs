using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mudbase.Tests.Support;

/// <summary>
/// The built emulator in a child process (<c>dotnet Mudbase.Emulator.dll</c>, copied beside the program that references
/// it), so that what the program measures of its own memory is the client's alone; killed at dispose. Shared by the tests
/// and the storage benchmark (linked into benchmarks/Mudbase.Client.Benchmarks).
/// </summary>
internal sealed class EmulatorProcess(Process process, Uri baseUrl, string projectId, string apiKey) : IAsyncDisposable
{
    public Uri BaseUrl => baseUrl;

    /// <summary>The seeded project with email verification on.</summary>
    public string ProjectId => projectId;

    /// <summary>That project's API key, as the banner prints it.</summary>
    public string ApiKey => apiKey;

    /// <summary>Starts it without rate limits on a free loopback port, and waits for its banner.</summary>
    public static async Task<EmulatorProcess> StartAsync(long maxFileUploadBytes, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Mudbase.Emulator.dll"), "--port", port.ToString(CultureInfo.InvariantCulture), "--no-rate-limits",
                "--max-file-upload-bytes", maxFileUploadBytes.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        try
        {
            // The banner is printed once the emulator listens, and names the project and its API key.
            string? projectId = null, apiKey = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (projectId is null || apiKey is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The emulator exited at start: " + await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
                projectId ??= After(line, "Project (email verification on):");
                apiKey ??= After(line, "API key (default project):");
            }

            // Keep reading so that a full pipe never blocks the emulator.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new EmulatorProcess(process, new Uri($"http://127.0.0.1:{port}/"), projectId, apiKey);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        process.Dispose();
    }

    private static string? After(string line, string label)
    {
        var at = line.IndexOf(label, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + label.Length)..].Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
