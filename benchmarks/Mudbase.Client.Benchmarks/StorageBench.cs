using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mudbase.Storage;
using Mudbase.Tests.Support;

namespace Mudbase.Benchmarks;

/// <summary>
/// Storage throughput over loopback: a large file up and down, the SDK against what a user writes by hand, against an
/// emulator in its own process (so the bytes counted are the client's only).
/// <code>storage [--rounds 21] [--mb 100 | --bytes N] [--source pipe|seekable] [--warmup 2] [--progress false] [--verbose false]
///         [--sample upload|download [--sample-calls 5000]]</code>
/// --sample: afterwards, each contender of that direction many times under the runtime's allocation sampling (the types
/// its bytes are, by share); upload samples include a delete per call.
/// Upload: the SDK's <c>UploadAsync</c> against a hand-written <c>MultipartFormDataContent</c> + <c>StreamContent</c>
/// POST (one <c>files</c> part, the same name and media type). Download: the SDK's <c>DownloadToAsync(Stream.Null)</c>
/// and <c>OpenReadAsync</c> + <c>CopyToAsync(Stream.Null)</c> against a hand-written signed-URL POST then
/// <c>GetStreamAsync</c> + <c>CopyToAsync(Stream.Null)</c> (the SDK signs a URL before it downloads too). Each round runs
/// every contender once per direction, the order rotating; the ratios are taken within the round. The source is a
/// generated stream that allocates nothing (pipe: it cannot seek, as a network stream; seekable: it knows its length).
/// </summary>
internal static class StorageBench
{
    private const string FileName = "bench.bin";
    private const string MediaType = "application/octet-stream";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "21", CultureInfo.InvariantCulture);
        var megabytes = int.Parse(options.GetValueOrDefault("mb") ?? "100", CultureInfo.InvariantCulture);
        var warmup = int.Parse(options.GetValueOrDefault("warmup") ?? "2", CultureInfo.InvariantCulture);
        var seekable = (options.GetValueOrDefault("source") ?? "pipe") switch
        {
            "pipe" => false,
            "seekable" => true,
            var other => throw new ArgumentException($"--source {other}: pipe or seekable."),
        };
        var withProgress = bool.Parse(options.GetValueOrDefault("progress") ?? "false");
        var verbose = bool.Parse(options.GetValueOrDefault("verbose") ?? "false");
        // --bytes: an exact size instead (a small file shows the fixed cost of a call alone).
        var size = options.TryGetValue("bytes", out var exact) ? long.Parse(exact, CultureInfo.InvariantCulture) : megabytes * 1024L * 1024;

        await using var emulator = await EmulatorProcess.StartAsync(maxFileUploadBytes: size + (1024 * 1024), CancellationToken.None);
        using var sdk = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.ProjectId, ApiKey = emulator.ApiKey });
        var bucket = await sdk.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "bench_" + Guid.NewGuid().ToString("N")[..8] });
        var files = sdk.Storage.Bucket(bucket.Id);
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        http.DefaultRequestHeaders.Add("X-API-Key", emulator.ApiKey);
        var hand = new HandStorage(http, emulator.ProjectId, bucket.Id);
        var progress = withProgress ? new LastProgress() : null;
        // One options object for every upload, as an app keeps its own (the hand-written side allocates none either).
        var uploadOptions = new UploadOptions { ContentType = MediaType, Progress = progress };

        var uploads = new (string Name, Func<Stream, Task<string>> Upload)[]
        {
            ("hand-written", hand.UploadAsync),
            ("SDK UploadAsync", async source => (await files.UploadAsync(source, FileName, uploadOptions)).Id),
        };
        var downloads = new (string Name, Func<string, Task> Download)[]
        {
            ("hand-written", hand.DownloadAsync),
            ("SDK DownloadToAsync", id => files.DownloadToAsync(id, Stream.Null, progress)),
            ("SDK OpenReadAsync", async id =>
            {
                await using var body = await files.OpenReadAsync(id);
                await body.CopyToAsync(Stream.Null);
            }),
        };

        Console.WriteLine($"{size:N0} bytes, source {(seekable ? "seekable" : "pipe (cannot seek)")}, progress {(withProgress ? "on" : "off")}, {rounds} rounds after {warmup} warm-up, " +
            $"{Environment.ProcessorCount} cores, emulator in its own process (pid not counted), load {Load()}");
        var up = uploads.Select(_ => new Samples()).ToArray();
        var down = downloads.Select(_ => new Samples()).ToArray();
        for (var round = -warmup; round < rounds; round++)
        {
            var ids = new string[uploads.Length];
            for (var k = 0; k < uploads.Length; k++)
            {
                var index = (k + Math.Max(0, round)) % uploads.Length;
                var source = new GeneratedStream(size, seekable);
                var (id, seconds, bytes) = await MeasureAsync(() => uploads[index].Upload(source));
                if (source.Position != size)
                {
                    throw new InvalidOperationException($"{uploads[index].Name} read {source.Position} of {size} bytes.");
                }

                ids[index] = id;
                Trace(verbose, round, uploads[index].Name, seconds, bytes);
                if (round >= 0)
                {
                    up[index].Add(seconds, bytes);
                }
            }

            for (var k = 0; k < downloads.Length; k++)
            {
                var index = (k + Math.Max(0, round)) % downloads.Length;
                var (_, seconds, bytes) = await MeasureAsync(async () =>
                {
                    // The hand-written side reads its own upload, the SDK's sides the SDK's: the same bytes.
                    await downloads[index].Download(ids[Math.Min(index, ids.Length - 1)]);
                    return "";
                });
                Trace(verbose, round, downloads[index].Name, seconds, bytes);
                if (round >= 0)
                {
                    down[index].Add(seconds, bytes);
                }
            }

            foreach (var id in ids)
            {
                await files.DeleteAsync(id);
            }
        }

        if (options.TryGetValue("sample", out var direction))
        {
            // Where the bytes go: each contender of one direction many times under the runtime's allocation sampling.
            var calls = int.Parse(options.GetValueOrDefault("sample-calls") ?? "5000", CultureInfo.InvariantCulture);
            using var sampler = new AllocationSampler();
            var id = await hand.UploadAsync(new GeneratedStream(size, seekable));
            var sdkId = (await files.UploadAsync(new GeneratedStream(size, seekable), FileName)).Id;
            var runs = direction == "upload"
                ? uploads.Select(u => (u.Name, Run: (Func<Task>)(async () => await files.DeleteAsync(await u.Upload(new GeneratedStream(size, seekable)))))).ToArray()
                : downloads.Select((d, i) => (d.Name, Run: (Func<Task>)(() => d.Download(i == 0 ? id : sdkId)))).ToArray();
            foreach (var (name, run) in runs)
            {
                sampler.Start();
                for (var i = 0; i < calls; i++)
                {
                    await run();
                }

                var types = sampler.Stop();
                Console.WriteLine($"{direction} {name}, {calls} calls: {types.Sum(t => t.Samples)} samples");
                foreach (var (type, samples, share) in types.Take(30))
                {
                    Console.WriteLine($"  {share,6:P1} {samples,6} {type}");
                }
            }
        }

        Console.WriteLine($"load after: {Load()}");
        Console.WriteLine();
        Console.WriteLine("| direction | contender | MiB/s (median) | throughput / hand-written (median of rounds) | median's 95 % CI | p25-p75 | allocated B (median) | min-max | bytes / hand-written |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        Print("upload", uploads.Select(u => u.Name).ToArray(), up, size);
        Print("download", downloads.Select(d => d.Name).ToArray(), down, size);
        return 0;
    }

    private static async Task<(string Result, double Seconds, long Bytes)> MeasureAsync(Func<Task<string>> run)
    {
        // A collection between transfers, so that one contender's garbage is not collected on another's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var result = await run();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (result, seconds, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static void Print(string direction, string[] names, Samples[] samples, long size)
    {
        var baseline = samples[0];
        for (var i = 0; i < samples.Length; i++)
        {
            // Throughput ratio within a round: the hand-written time over the contender's.
            var ratios = baseline.Seconds.Zip(samples[i].Seconds, (b, s) => b / s).Order().ToArray();
            var bytes = samples[i].Bytes.Order().ToArray();
            var mibPerSecond = size / 1024.0 / 1024 / Interleaved.Median(samples[i].Seconds);
            Console.WriteLine($"| {direction} | {names[i]} | {mibPerSecond:F0} | {Interleaved.Median(ratios):F3} | {Interleaved.MedianInterval(ratios)} | " +
                $"{ratios[ratios.Length / 4]:F3}-{ratios[ratios.Length * 3 / 4]:F3} | {bytes[bytes.Length / 2]:N0} | {bytes[0]:N0}-{bytes[^1]:N0} | " +
                $"{(double)bytes[bytes.Length / 2] / baseline.Bytes.Order().ElementAt(baseline.Bytes.Count / 2):F3} |");
        }
    }

    private static void Trace(bool verbose, int round, string name, double seconds, long bytes)
    {
        if (verbose)
        {
            Console.WriteLine($"round {round}: {name} {seconds * 1000:F0} ms, {bytes:N0} B");
        }
    }

    private static string Load() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class Samples
    {
        public List<double> Seconds { get; } = [];

        public List<long> Bytes { get; } = [];

        public void Add(double seconds, long bytes)
        {
            Seconds.Add(seconds);
            Bytes.Add(bytes);
        }
    }

    /// <summary>What a user writes by hand with one HttpClient (X-API-Key as a default header), from CONTRACT.md.</summary>
    private sealed class HandStorage(HttpClient http, string projectId, string bucketId)
    {
        private readonly string _files = $"api/bucket/projects/{projectId}/buckets/{bucketId}/files";

        public async Task<string> UploadAsync(Stream source)
        {
            using var form = new MultipartFormDataContent();
            var part = new StreamContent(source);
            part.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
            // The part's header as the SDK writes it (MultipartFormDataContent.Add(part, name, fileName) would add filename* too).
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files\"", FileName = "\"" + FileName + "\"" };
            form.Add(part);
            using var response = await http.PostAsync(_files, form);
            response.EnsureSuccessStatusCode();
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            return answer.RootElement.GetProperty("files")[0].GetProperty("id").GetString()!;
        }

        public async Task DownloadAsync(string fileId)
        {
            // A signed URL first, as the SDK does: the download route wants its token.
            using var body = new StringContent("{\"expiresIn\":300}", Encoding.UTF8, "application/json");
            using var signed = await http.PostAsync($"{_files}/{fileId}/signed-url", body);
            signed.EnsureSuccessStatusCode();
            string url;
            using (var answer = await JsonDocument.ParseAsync(await signed.Content.ReadAsStreamAsync()))
            {
                url = answer.RootElement.GetProperty("url").GetString()!;
            }

            await using var bytes = await http.GetStreamAsync(new Uri(http.BaseAddress!, url));
            await bytes.CopyToAsync(Stream.Null);
        }
    }

    /// <summary>
    /// <paramref name="length"/> bytes copied from one fixed pattern: no allocation per read, and about memcpy's cost, so
    /// the transfer is what is measured. Seekable or not (a pipe: no length, no position to set).
    /// </summary>
    private sealed class GeneratedStream(long length, bool seekable) : Stream
    {
        private static readonly byte[] Pattern = MakePattern();
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? length : throw new NotSupportedException();

        /// <summary>Readable either way (the benchmark checks what was read); settable only when seekable.</summary>
        public override long Position
        {
            get => _position;
            set => _position = seekable ? value : throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var filled = 0;
            while (filled < n)
            {
                var at = (int)((_position + filled) % Pattern.Length);
                var chunk = Math.Min(n - filled, Pattern.Length - at);
                Pattern.AsSpan(at, chunk).CopyTo(buffer[filled..]);
                filled += chunk;
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => seekable
            ? Position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset }
            : throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte[] MakePattern()
        {
            // 1 MiB of varied bytes (a prime-ish stride, so runs do not line up with the 64 KB chunks).
            var pattern = new byte[(1024 * 1024) + 7];
            new Random(42).NextBytes(pattern);
            return pattern;
        }
    }

    /// <summary>Keeps the last report only: reports cost the SDK's side its own work, not a list.</summary>
    private sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}
