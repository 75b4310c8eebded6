package io.tributary.definition.read;

import java.util.Collection;

/** "Did you mean" hints for misspelled names. */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * Returns {@code "; did you mean 'x'?"} for the closest candidate within a small edit distance, else for the one
     * candidate that the typed name begins or ends ({@code customer} for {@code customer_id}), or an empty string
     * when none is close.
     */
    public static String didYouMean(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int tolerance = Math.max(1, Math.min(3, typed.length() / 3));
        for (String candidate : candidates) {
            if (Math.abs(candidate.length() - typed.length()) > tolerance) {
                continue; // at least that many edits apart: never suggested, and a long text is not compared at length
            }
            int d = distance(typed.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= tolerance) {
            return "; did you mean '" + best + "'?";
        }
        String lower = typed.toLowerCase(java.util.Locale.ROOT);
        java.util.List<String> extending = lower.length() < 3 ? java.util.List.of() : candidates.stream()
                .filter(c -> {
                    String other = c.toLowerCase(java.util.Locale.ROOT);
                    return other.startsWith(lower) || other.endsWith(lower);
                }).toList();
        return extending.size() == 1 ? "; did you mean '" + extending.get(0) + "'?" : "";
    }

    /** Edit distance counting an insertion, deletion, substitution or swap of neighbours as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
