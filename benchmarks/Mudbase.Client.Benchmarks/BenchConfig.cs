using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Mudbase.Benchmarks;

/// <summary>
/// One short job for the whole suite (about 12 minutes on 2 cores): one launch, 3 warm-up and 10 measured iterations of 250 ms,
/// the default toolchain (a separate process per benchmark), memory diagnoser, ratios against the hand-written baseline.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(10).WithIterationTime(TimeInterval.FromMilliseconds(250)).WithId("Short10"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(CategoriesColumn.Default, StatisticColumn.OperationsPerSecond);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Value);
        Options |= ConfigOptions.DisableLogFile;
    }
}
