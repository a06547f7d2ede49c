namespace LstmNotebooks.Data;

/// <summary>A set of waves, one per row: values[wave, point]; with the parameters that drew them.</summary>
public sealed record WaveSet(float[,] Values, int Period, int[] Shifts)
{
    public int Count => Values.GetLength(0);
    public int Length => Values.GetLength(1);

    /// <summary>One wave as an array.</summary>
    public float[] Wave(int index) => Enumerable.Range(0, Length).Select(t => Values[index, t]).ToArray();
}

/// <summary>
/// Chapter 4's data, as in PyTorch's time-sequence-prediction example: <c>count</c> sine waves of <c>length</c>
/// points, y = sin(x / period), each shifted by a random whole number in [−4·period, 4·period). The count is the
/// number of waves, not of points.
/// </summary>
public static class SineWaves
{
    public static WaveSet Generate(int count = 100, int length = 1000, int period = 20, int seed = 2) =>
        Waves.Generate(count, length, period, seed, x => Math.Sin(x));
}

/// <summary>Chapter 5's new data of unknown shape: y = cos(sin(x / period)²), shifted like <see cref="SineWaves"/>.</summary>
public static class CosSinWaves
{
    public static WaveSet Generate(int count, int length, int period, int seed) =>
        Waves.Generate(count, length, period, seed, x => Math.Cos(Math.Pow(Math.Sin(x), 2)));

    /// <summary>
    /// Draws the shape too — count in [minCount, maxCount), length in [minLength, maxLength), period in
    /// [minPeriod, maxPeriod), from the seed — giving data whose size the notebook does not know in advance.
    /// The defaults are chapter 5's ranges: 50–199 waves of 800–1199 points, period 10–29.
    /// </summary>
    public static WaveSet Draw(int seed, int minCount = 50, int maxCount = 200, int minLength = 800, int maxLength = 1200,
        int minPeriod = 10, int maxPeriod = 30)
    {
        if (minCount < 1 || maxCount <= minCount) throw new ArgumentException($"the wave count range [{minCount}, {maxCount}) is empty or below 1");
        if (minLength < 2 || maxLength <= minLength) throw new ArgumentException($"the length range [{minLength}, {maxLength}) is empty or below 2");
        if (minPeriod < 1 || maxPeriod <= minPeriod) throw new ArgumentException($"the period range [{minPeriod}, {maxPeriod}) is empty or below 1");
        var random = new Random(seed);
        var count = random.Next(minCount, maxCount);
        var length = random.Next(minLength, maxLength);
        var period = random.Next(minPeriod, maxPeriod);
        return Generate(count, length, period, seed + 1);
    }
}

internal static class Waves
{
    public static WaveSet Generate(int count, int length, int period, int seed, Func<double, double> shape)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one wave");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "a wave needs at least 2 points");
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "the period parameter must be at least 1");
        var random = new Random(seed);
        var shifts = Enumerable.Range(0, count).Select(_ => random.Next(-4 * period, 4 * period)).ToArray();
        var values = new float[count, length];
        for (var w = 0; w < count; w++)
            for (var t = 0; t < length; t++)
                values[w, t] = (float)shape((t + shifts[w]) / (double)period);
        return new WaveSet(values, period, shifts);
    }
}
