using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>
/// The official Node <c>socket.io-client</c> (the exact version in tests/realtime-conformance-client/package-lock.json,
/// installed by <c>npm ci</c> in .ci/run) against the emulator: the handshake, a refused token, a subscription with an
/// ack, an event after a REST write, and short ping timings, which that client checks strictly (it closes the connection
/// when a ping is late).
/// </summary>
public sealed class RealtimeConformanceTests() : RealtimeEmulatorTests(new MudbaseEmulatorOptions
{
    RealtimePingInterval = TimeSpan.FromMilliseconds(300),
    RealtimePingTimeout = TimeSpan.FromSeconds(1), // not tighter: a busy CI machine must not miss it
})
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task The_official_client_is_refused_a_bad_token_then_subscribes_hears_a_rest_write_and_keeps_up_with_the_pings()
    {
        var directory = ClientDirectory();
        await Mudbase.Tests.Support.NodePackages.EnsureAsync(directory, "socket.io-client");
        var options = new Mudbase.Emulator.EmulatorCollectionOptions(DataApi.NewName("todos"));
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read"));
        Emulator.CreateCollection(options);
        var guest = await Api.GuestAsync();

        var (lines, exitCode) = await RunClientAsync(directory, [Emulator.BaseUrl.ToString(), guest.Token!, Emulator.DefaultProjectId, options.Name, "5"], async line =>
        {
            if (line.GetProperty("event").GetString() == "ack")
            {
                var created = await Api.CreateAsync(Emulator.DefaultProjectId, options.Name, guest, """{"title":"from REST"}""");
                Assert.Equal(HttpStatusCode.Created, created.Status);
            }
        });

        var events = lines.Select(line => line.GetProperty("event").GetString()).ToList();
        var transcript = string.Join("\n", lines.Select(line => line.GetRawText()));
        Assert.True(exitCode == 0, $"client exited {exitCode}:\n{transcript}");
        Assert.Equal("connect_error", events[0]);
        Assert.Equal("Authentication error", lines[0].GetProperty("message").GetString());
        Assert.DoesNotContain("disconnect", events);
        Assert.DoesNotContain("connect-with-bad-token", events);
        var ack = lines.Single(line => line.GetProperty("event").GetString() == "ack").GetProperty("data");
        Assert.Equal("collection", ack.GetProperty("type").GetString());
        Assert.Equal(Emulator.DefaultProjectId, ack.GetProperty("projectId").GetString());
        var subscribed = lines.Single(line => line.GetProperty("event").GetString() == "subscribed").GetProperty("data");
        Assert.Equal(ack.GetRawText(), subscribed.GetRawText());
        var created = lines.Single(line => line.GetProperty("event").GetString() == "db:create").GetProperty("payload");
        Assert.Equal(ack.GetProperty("id").GetString(), created.GetProperty("collectionId").GetString());
        Assert.Equal("from REST", created.GetProperty("data").GetProperty("title").GetString());
        var done = lines.Single(line => line.GetProperty("event").GetString() == "done");
        Assert.True(done.GetProperty("pings").GetInt32() >= 5, transcript);
    }

    private static string ClientDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "realtime-conformance-client");
            if (File.Exists(Path.Combine(candidate, "client.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/realtime-conformance-client/client.js not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs <c>node client.js</c>, hands each JSON line to <paramref name="onLine"/>, and kills it past the limit.</summary>
    private static async Task<(List<JsonElement> Lines, int ExitCode)> RunClientAsync(string directory, string[] arguments, Func<JsonElement, Task> onLine)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("client.js");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var output = Channel.CreateUnbounded<string?>();
        process.OutputDataReceived += (_, e) => output.Writer.TryWrite(e.Data);
        process.ErrorDataReceived += (_, e) => { };
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException("node is not on PATH (Node.js 20 is needed for the conformance tests): " + exception.Message, exception);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(RunLimit);
        var lines = new List<JsonElement>();
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // OutputDataReceived gives null at the end of the stream.
            while (await output.Reader.ReadAsync(limit.Token) is { } text)
            {
                if (text.StartsWith('{'))
                {
                    var line = JsonDocument.Parse(text).RootElement.Clone();
                    lines.Add(line);
                    await onLine(line);
                }
            }

            await process.WaitForExitAsync(limit.Token);
            return (lines, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
