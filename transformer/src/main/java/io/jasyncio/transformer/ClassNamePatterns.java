package io.jasyncio.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which classes a host weaves, by binary name ({@code com.acme.Fetcher}, {@code com.acme.Outer$Inner}): the
 * {@code includes} and {@code excludes} of the Maven plugin and of the java agent. In a pattern {@code *} matches
 * within one segment of the name ({@code com.acme.*} is the classes of package {@code com.acme}), {@code **} across
 * segments ({@code com.acme.**} is the package and its subpackages, {@code **.*Test} every class whose simple
 * name ends in {@code Test}); anything else matches itself. A class is woven if no include is given or one
 * matches, and no exclude matches. A class left out is left as it is: if it uses jasyncio, its {@code await}
 * throws {@code NotWovenException} at run time.
 */
public final class ClassNamePatterns {
    private ClassNamePatterns() {
    }

    /**
     * The classes to weave.
     *
     * @param includes patterns of the classes to weave; none: every class
     * @param excludes patterns of the classes not to weave, even if included
     * @return whether to weave a class, by its binary name
     */
    public static Predicate<String> of(List<String> includes, List<String> excludes) {
        List<Pattern> in = compile(includes);
        List<Pattern> out = compile(excludes);
        return name -> (in.isEmpty() || in.stream().anyMatch(p -> p.matcher(name).matches()))
                && out.stream().noneMatch(p -> p.matcher(name).matches());
    }

    private static List<Pattern> compile(List<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        if (patterns != null) {
            for (String p : patterns) {
                if (p != null && !p.isBlank()) {
                    compiled.add(toRegex(p.trim()));
                }
            }
        }
        return compiled;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^.]*");
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
