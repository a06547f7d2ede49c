// Generated from notebooks/01-naive-mlp-baseline.ipynb: its cells marked // @save, as written there. Do not edit;
// edit the notebook and run NotebookRunner --export-saved again (a test checks that the two agree).
#nullable disable   // as in the notebook: scripts compile without a nullable context

using System;
using System.Text;
using System.Collections;
using System.Collections.Generic;
using System.Threading.Tasks;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using LstmNotebooks.Charts;
using LstmNotebooks.Data;
using LstmNotebooks.Exercises;
using LstmNotebooks.Runtime;
using TorchSharp.Modules;

namespace LstmNotebooks.Chapters;

/// <summary>The code notebooks/01-naive-mlp-baseline.ipynb shows in its cells marked // @save, for later notebooks to call.</summary>
public static class Chapter01
{
    // ── cell 7 of notebooks/01-naive-mlp-baseline.ipynb ──

    /// <summary>One season: the game numbers and the minutes played in each.</summary>
    public record MinutesSeason(float[] Games, float[] Minutes);

    /// <summary>
    /// minutes = 1.6·game + 4 + ε, ε ~ Normal(10, 1), for games 0, 1, …; the noise comes from the library's SeededNormal,
    /// so a seed gives the same season everywhere. Chapter 5 simulates many seasons with the same constants.
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
    }
}
