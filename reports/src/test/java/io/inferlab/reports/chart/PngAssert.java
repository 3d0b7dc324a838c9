package io.inferlab.reports.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

/** Checks that bytes are a PNG that holds a drawn chart, not an empty canvas. */
public final class PngAssert {
    private PngAssert() {
    }

    public static BufferedImage assertRealChart(byte[] png) {
        assertTrue(png.length > 8 && (png[0] & 0xff) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "PNG signature");
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertNotNull(image, "decodable PNG");
        assertEquals(960, image.getWidth());
        assertTrue(image.getHeight() >= 540);
        Map<Integer, Integer> colors = new HashMap<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colors.merge(image.getRGB(x, y), 1, Integer::sum);
            }
        }
        int total = colors.values().stream().mapToInt(Integer::intValue).sum();
        int background = colors.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // Axes, labels, bars and anti-aliased text give many colours and cover a good share of it.
        assertTrue(colors.size() > 20, "only " + colors.size() + " colours: an empty chart?");
        assertTrue(background < total * 0.9, "over 90% one colour: an empty chart?");
        return image;
    }

    /** Whether some pixel is close to this colour (a series' bar or marker). */
    public static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 8 && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 8
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 8) {
                    return true;
                }
            }
        }
        return false;
    }
}
