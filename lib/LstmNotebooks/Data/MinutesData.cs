namespace LstmNotebooks.Data;

/// <summary>Minutes a player plays per game after an injury: game numbers and minutes, one season.</summary>
public sealed record MinutesSeason(float[] Games, float[] Minutes)
{
    public int Count => Games.Length;
}

/// <summary>
/// The chapters' toy series: minutes = 1.6·game + 4 + Normal(10, 1), for games 0, 1, …, seeded. Chapter 1 uses one
/// season of 11 games; chapter 5 simulates many seasons.
/// </summary>
public static class MinutesData
{
    public const double Slope = 1.6, Intercept = 4, NoiseMean = 10, NoiseStandardDeviation = 1;

    public static MinutesSeason Season(int seed, int games = 11)
    {
        if (games < 2) throw new ArgumentOutOfRangeException(nameof(games), games, "a season needs at least 2 games");
        var noise = new SeededNormal(seed);
        var g = Enumerable.Range(0, games).Select(i => (float)i).ToArray();
        var m = g.Select(x => (float)(Slope * x + Intercept + noise.Next(NoiseMean, NoiseStandardDeviation))).ToArray();
        return new MinutesSeason(g, m);
    }

    /// <summary>
    /// <paramref name="seasons"/> simulated seasons as rows, minutes[season, game] = 1.6·game + 4 + ε, with one
    /// ε ~ Normal(10, 1) drawn per season: each season has its own level, and the trend within it is exact.
    /// </summary>
    public static float[,] Seasons(int seasons, int games, int seed)
    {
        if (seasons < 1) throw new ArgumentOutOfRangeException(nameof(seasons), seasons, "at least one season");
        if (games < 2) throw new ArgumentOutOfRangeException(nameof(games), games, "a season needs at least 2 games");
        var noise = new SeededNormal(seed);
        var result = new float[seasons, games];
        for (var s = 0; s < seasons; s++)
        {
            var level = noise.Next(NoiseMean, NoiseStandardDeviation);
            for (var g = 0; g < games; g++) result[s, g] = (float)(Slope * g + Intercept + level);
        }
        return result;
    }
}
