using LstmNotebooks.Data;
using LstmNotebooks.Runtime;
using static LstmNotebooks.Chapters.Chapter01;
using static LstmNotebooks.Chapters.Chapter04;

namespace LstmNotebooks.Tests;

/// <summary>
/// The data generators: chapter 4's shifted waves and chapter 1's minutes (the chapters' cells marked <c>// @save</c>,
/// as the library compiles them), and the library's seeded normal noise.
/// </summary>
public class GeneratorTests
{
    public GeneratorTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Shifted_waves_are_N_shifted_copies_of_the_shape_over_T()
    {
        var w = ShiftedWaves(count: 5, length: 50, period: 20, seed: 2, Math.Sin);
        Assert.Equal((5, 50), (w.Count, w.Length));
        Assert.All(w.Shifts, s => Assert.InRange(s, -80, 79));
        for (var i = 0; i < 5; i++)
            Assert.Equal((float)Math.Sin((7 + w.Shifts[i]) / 20.0), w.Values[i, 7]);
        Assert.Equal(w.Values, ShiftedWaves(5, 50, 20, 2, Math.Sin).Values);
        Assert.Equal(Enumerable.Range(0, 50).Select(x => w.Values[3, x]), w.Wave(3));
    }

    [Theory]
    [InlineData(100, 1000, 20, 2)]   // chapter 4 at tutorial scale
    [InlineData(12, 120, 20, 2)]     // chapter 4 at quick scale
    [InlineData(160, 10, 20, 7)]     // every shift of [−4T, 4T) used once
    public void No_shift_repeats_so_no_wave_is_in_two_splits(int count, int length, int period, int seed)
    {
        var w = ShiftedWaves(count, length, period, seed, Math.Sin);
        Assert.Equal(count, w.Shifts.Distinct().Count());
        var rows = Enumerable.Range(0, count).Select(i => string.Join(",", w.Wave(i))).ToArray();
        Assert.Equal(count, rows.Distinct().Count());   // hence no two rows, in any split, are the same wave
    }

    [Fact]
    public void More_waves_than_distinct_shifts_are_refused_with_the_reason()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ShiftedWaves(161, 10, 20, 1, Math.Sin));
        Assert.Contains("from 1 to 8·period = 160 waves: each needs its own shift", e.Message);
    }

    [Fact]
    public void The_minutes_season_is_seeded_and_follows_its_formula()
    {
        var a = MinutesData.Season(42);
        Assert.Equal(a.Minutes, MinutesData.Season(42).Minutes);
        Assert.NotEqual(a.Minutes, MinutesData.Season(43).Minutes);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (float)i), a.Games);
        var residuals = a.Games.Zip(a.Minutes, (g, m) => m - (1.6 * g + 4)).ToArray();
        Assert.InRange(residuals.Average(), 9, 11);          // Normal(10, 1) noise
        Assert.All(residuals, r => Assert.InRange(r, 5, 15));
    }

    [Fact]
    public void Seeded_normal_noise_has_the_asked_mean_and_deviation()
    {
        var noise = new SeededNormal(1);
        var draws = Enumerable.Range(0, 20000).Select(_ => noise.Next(10, 2)).ToArray();
        var mean = draws.Average();
        var sd = Math.Sqrt(draws.Select(d => (d - mean) * (d - mean)).Average());
        Assert.InRange(mean, 9.95, 10.05);
        Assert.InRange(sd, 1.95, 2.05);
    }
}
