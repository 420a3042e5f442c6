// The standalone emulator: `dotnet run --project src/Mudbase.Emulator [-- --port N] [--no-rate-limits] [--access-token-lifetime S] [--max-file-upload-bytes N] [--chaos P [--chaos-seed N]]`.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Mudbase.Emulator;

const int DefaultPort = 8787;
const string Usage = """
    Usage: Mudbase.Emulator [--port N] [--no-rate-limits] [--access-token-lifetime S] [--max-file-upload-bytes N] [--chaos P [--chaos-seed N]]
      --port N                   port on 127.0.0.1 (default 8787, or MUDBASE_EMULATOR_PORT)
      --no-rate-limits           turn off the hosted service's per-IP rate limits
      --access-token-lifetime S  access tokens expire after S seconds (default 86400);
                                 short ones let an app see its tokens expire and refresh
      --max-file-upload-bytes N  the largest file an upload may carry (default 52428800, 50 MiB)
      --chaos P                  inject a fault into a share P (0 to 1) of /api requests, spread evenly
                                 over every kind: connection resets, 500, 502/504 pages, 503, 429,
                                 5 s delays, truncated, empty, odd and extended JSON bodies, downloads
                                 cut halfway
      --chaos-seed N             seed of the faults (default: random, and printed); the same seed and
                                 the same order of requests give the same faults
    """;

var options = new MudbaseEmulatorOptions { Port = DefaultPort };
double? chaos = null;
int? chaosSeed = null;
if (Environment.GetEnvironmentVariable("MUDBASE_EMULATOR_PORT") is { Length: > 0 } portVariable && !TrySetPort(options, portVariable))
{
    return Fail($"MUDBASE_EMULATOR_PORT is not a port number: {portVariable}");
}

for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port":
            if (++i == args.Length || !TrySetPort(options, args[i]))
            {
                return Fail("--port needs a port number from 0 to 65535.");
            }

            break;
        case "--no-rate-limits":
            options.EnableRateLimits = false;
            break;
        case "--access-token-lifetime":
            if (++i == args.Length || !TryParseSeconds(args[i], out var lifetime))
            {
                return Fail("--access-token-lifetime needs a whole number of seconds, from 1 to 31622400 (366 days).");
            }

            options.AccessTokenLifetime = lifetime;
            break;
        case "--max-file-upload-bytes":
            if (++i == args.Length || !long.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var maxFileBytes) || maxFileBytes < 1)
            {
                return Fail("--max-file-upload-bytes needs a whole number of bytes, at least 1.");
            }

            options.MaxFileUploadBytes = maxFileBytes;
            break;
        case "--chaos":
            if (++i == args.Length || !TryParseProbability(args[i], out var probability))
            {
                return Fail("--chaos needs a probability from 0 to 1, such as 0.2.");
            }

            chaos = probability;
            break;
        case "--chaos-seed":
            if (++i == args.Length || !int.TryParse(args[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
            {
                return Fail("--chaos-seed needs a whole number.");
            }

            chaosSeed = seed;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            return Fail($"Unexpected argument: {args[i]}");
    }
}

if (chaosSeed is not null && chaos is null)
{
    return Fail("--chaos-seed needs --chaos.");
}

if (chaos is not null)
{
    // A seed of its own each run, printed below, so that a run that found something can be replayed.
    options.Chaos = SpreadEvenly(chaos.Value, chaosSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
}

MudbaseEmulator emulator;
try
{
    emulator = await MudbaseEmulator.StartAsync(options);
}
catch (IOException exception)
{
    Console.Error.WriteLine($"Could not listen on port {options.Port}: {exception.Message}");
    return 1;
}

await using (emulator)
{
    var stopped = new TaskCompletionSource();
    // Cancel the default exit so that the server is disposed cleanly before the process ends.
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

    Console.WriteLine($"""
        Mudbase emulator listening on {emulator.BaseUrl}
          Project (email verification on):   {emulator.DefaultProjectId}
          Project (email verification off):  {emulator.NoVerificationProjectId}
          API key (default project):         {emulator.ApiKey}
          Rate limits:                       {(options.EnableRateLimits ? "on (hosted defaults)" : "off")}
          Access tokens expire after:        {(long)options.AccessTokenLifetime.TotalSeconds} s
          Largest file an upload may carry:  {options.MaxFileUploadBytes} bytes (files are kept in a temporary folder, deleted at exit)
          Chaos:                             {(options.Chaos is null ? "off" : FormattableString.Invariant($"faults in {chaos} of /api requests, seed {options.Chaos.Seed} (--chaos-seed {options.Chaos.Seed} replays them)"))}
          Outbox (emails and SMS not sent):  {emulator.BaseUrl}emulator/outbox?to=<email or phone>
        Press Ctrl+C to stop.
        """);
    await stopped.Task;
    Console.WriteLine("Stopping.");

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stopped.TrySetResult();
    }
}

return 0;

static bool TrySetPort(MudbaseEmulatorOptions options, string value)
{
    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
    {
        return false;
    }

    options.Port = port;
    return true;
}

static bool TryParseSeconds(string value, out TimeSpan lifetime)
{
    // Up to a year: anything longer is no test of expiry, and TimeSpan arithmetic stays far from overflow.
    var valid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 366 * 24 * 3600;
    lifetime = TimeSpan.FromSeconds(valid ? seconds : 0);
    return valid;
}

static bool TryParseProbability(string value, out double probability) =>
    double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out probability) && probability is >= 0 and <= 1;

// An equal share for every kind of fault.
static EmulatorChaosOptions SpreadEvenly(double probability, int seed)
{
    const int Kinds = 14; // The probability properties set below.
    var share = probability / Kinds;
    return new EmulatorChaosOptions
    {
        Seed = seed,
        ResetBeforeAnswer = share,
        ResetAfterProcessing = share,
        ServerErrorJson = share,
        BadGatewayHtml = share,
        GatewayTimeoutHtml = share,
        ServiceUnavailable = share,
        RateLimitedShort = share,
        RateLimitedLong = share,
        SlowResponse = share,
        TruncatedJson = share,
        EmptyBody = share,
        UnexpectedShape = share,
        ExtraFields = share,
        ResetDuringDownload = share,
    };
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    Console.Error.WriteLine(Usage);
    return 2;
}

// Keeps the generated Program class internal: a public one would clash with the Program of a user's own app in tests.
internal partial class Program;
