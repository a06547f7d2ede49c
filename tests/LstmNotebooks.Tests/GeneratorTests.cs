using LstmNotebooks.Data;
using LstmNotebooks.Runtime;

namespace LstmNotebooks.Tests;

/// <summary>The data generators: sine and cos-sin waves, minutes, seeded normal noise.</summary>
public class GeneratorTests
{
    public GeneratorTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Sine_waves_are_N_shifted_copies_of_sin_x_over_T()
    {
        var w = SineWaves.Generate(count: 5, length: 50, period: 20, seed: 2);
        Assert.Equal((5, 50), (w.Count, w.Length));
        Assert.All(w.Shifts, s => Assert.InRange(s, -80, 79));
        for (var i = 0; i < 5; i++)
            Assert.Equal((float)Math.Sin((7 + w.Shifts[i]) / 20.0), w.Values[i, 7]);
        Assert.Equal(w.Values, SineWaves.Generate(5, 50, 20, 2).Values);
    }

    [Fact]
    public void Cos_sin_waves_draw_their_shape_within_the_ranges()
    {
        var w = CosSinWaves.Draw(11);
        Assert.InRange(w.Count, 50, 199);
        Assert.InRange(w.Length, 800, 1199);
        Assert.InRange(w.Period, 10, 29);
        Assert.Equal((float)Math.Cos(Math.Pow(Math.Sin((3 + w.Shifts[0]) / (double)w.Period), 2)), w.Values[0, 3]);
        Assert.Throws<ArgumentException>(() => CosSinWaves.Draw(1, minCount: 5, maxCount: 5));
    }

    [Fact]
    public void Minutes_seasons_have_one_level_per_season_and_the_exact_trend()
    {
        var m = MinutesData.Seasons(seasons: 4, games: 11, seed: 5);
        for (var s = 0; s < 4; s++)
            for (var g = 1; g < 11; g++)
                Assert.Equal(1.6, m[s, g] - m[s, g - 1], 4);
        Assert.NotEqual(m[0, 0], m[1, 0]);
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
