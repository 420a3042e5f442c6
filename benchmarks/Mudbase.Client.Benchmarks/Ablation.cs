using System.Globalization;
using Mudbase.Auth;

namespace Mudbase.Benchmarks;

/// <summary>
/// Where the SDK's time and bytes go: the SDK with one option's work taken away at a time, interleaved with the
/// hand-written baseline (first row, ratio 1). Public API only, like every other mode: over the canned handler each
/// variant is <c>new MudbaseClient(options, new CannedHandler(), disposeHandler: true)</c>, over loopback
/// <c>new MudbaseClient(options)</c> (its own socket handler) against an emulator in this process.
/// <code>ablation [--transport canned|loopback] [--rounds 31] [--block-ms 50] [--ops anonymous,session] [--rows 0,2,3]</code>
/// Layers that no option turns off (the session handler, the telemetry handler, the facade) are not separated here: the
/// gap between "neither timeout nor retries" and plain Refit bounds them together.
/// </summary>
internal static class Ablation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "31", CultureInfo.InvariantCulture);
        var blockMs = double.Parse(options.GetValueOrDefault("block-ms") ?? "50", CultureInfo.InvariantCulture);
        var ops = (options.GetValueOrDefault("ops") ?? "anonymous,session").Split(',');
        var rows = options.GetValueOrDefault("rows")?.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();

        Mudbase.Emulator.MudbaseEmulator? emulator = null;
        Contenders c;
        if ((options.GetValueOrDefault("transport") ?? "canned") == "canned")
        {
            c = Contenders.CreateCanned(_ => new CannedHandler());
        }
        else
        {
            (emulator, c) = await LoopbackSetup.StartAsync();
        }

        var session = new AuthSession(c.Token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));
        IMudbaseClient Variant(Action<MudbaseClientOptions> configure)
        {
            var o = new MudbaseClientOptions { BaseUrl = c.BaseUrl, ProjectId = Payloads.ProjectId };
            configure(o);
            var client = emulator is null ? new MudbaseClient(o, new CannedHandler(), disposeHandler: true) : new MudbaseClient(o);
            return client.WithSession(session);
        }

        var sdk = Variant(_ => { });
        var noTimeout = Variant(o => o.Timeout = Timeout.InfiniteTimeSpan);
        var noRetries = Variant(o => o.Retry.MaxRetries = 0);
        var neither = Variant(o => { o.Timeout = Timeout.InfiniteTimeSpan; o.Retry.MaxRetries = 0; });

        Console.WriteLine($"ablation over {(emulator is null ? "the canned handler" : "loopback")}, {rounds} rounds, blocks of about {blockMs} ms, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Interleaved.PrintHeader();
        foreach (var op in ops)
        {
            (string, Func<Task>)[] contenders = op switch
            {
                "anonymous" =>
                [
                    ("hand-written", c.BaselineAnonymousAsync),
                    ("plain Refit", c.RefitAnonymousAsync),
                    ("SDK", () => sdk.Auth.CreateAnonymousAsync()),
                    ("SDK, Timeout off", () => noTimeout.Auth.CreateAnonymousAsync()),
                    ("SDK, MaxRetries 0", () => noRetries.Auth.CreateAnonymousAsync()),
                    ("SDK, neither timeout nor retries", () => neither.Auth.CreateAnonymousAsync()),
                ],
                "session" =>
                [
                    ("hand-written", c.BaselineSessionAsync),
                    ("plain Refit", c.RefitSessionAsync),
                    ("SDK", () => sdk.Auth.GetSessionAsync()),
                    ("SDK, Timeout off", () => noTimeout.Auth.GetSessionAsync()),
                    ("SDK, MaxRetries 0", () => noRetries.Auth.GetSessionAsync()),
                    ("SDK, neither timeout nor retries", () => neither.Auth.GetSessionAsync()),
                ],
                _ => throw new ArgumentException($"Unknown call {op} (anonymous, session)."),
            };

            // --rows 0,2,3 measures only those rows (the first is the ratios' baseline): fewer contenders, more rounds each.
            var measured = rows is null ? contenders : rows.Where(r => r < contenders.Length).Select(r => contenders[r]).ToArray();
            await Interleaved.MeasureAsync(op, measured, rounds, blockMs);
        }

        c.Dispose();
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        return 0;
    }
}
