package dev.crank.workers.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** 4-connected components of the ink mask. */
final class InkComponents {
    int count;
    int small;
    int lines;
    int largest;
    double medianArea;
    double fill;
    double textHeight;

    static InkComponents of(boolean[] ink, int w, int h) {
        InkComponents c = new InkComponents();
        int[] label = new int[ink.length];
        int[] stack = new int[ink.length];
        List<int[]> shapes = new ArrayList<>();
        int next = 0;
        for (int start = 0; start < ink.length; start++) {
            if (!ink[start] || label[start] != 0) {
                continue;
            }
            next++;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            int area = 0;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            while (top > 0) {
                int i = stack[--top];
                int x = i % w;
                int y = i / w;
                area++;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                if (x > 0 && ink[i - 1] && label[i - 1] == 0) {
                    label[i - 1] = next;
                    stack[top++] = i - 1;
                }
                if (x + 1 < w && ink[i + 1] && label[i + 1] == 0) {
                    label[i + 1] = next;
                    stack[top++] = i + 1;
                }
                if (y > 0 && ink[i - w] && label[i - w] == 0) {
                    label[i - w] = next;
                    stack[top++] = i - w;
                }
                if (y + 1 < h && ink[i + w] && label[i + w] == 0) {
                    label[i + w] = next;
                    stack[top++] = i + w;
                }
            }
            shapes.add(new int[] {area, maxX - minX + 1, maxY - minY + 1});
        }
        c.count = shapes.size();
        if (c.count == 0) {
            return c;
        }
        int[] areas = new int[c.count];
        double filled = 0;
        double weight = 0;
        List<Integer> heights = new ArrayList<>();
        int smallLimit = Math.max(4, w * h / 2000);
        for (int k = 0; k < c.count; k++) {
            int[] s = shapes.get(k);
            areas[k] = s[0];
            c.largest = Math.max(c.largest, s[0]);
            boolean small = s[0] <= smallLimit;
            c.small += small ? 1 : 0;
            int minSide = Math.min(s[1], s[2]);
            int maxSide = Math.max(s[1], s[2]);
            c.lines += minSide <= 3 && maxSide >= 20 ? 1 : 0;
            filled += s[0] * ((double) s[0] / (s[1] * s[2]));
            weight += s[0];
            if (small && s[0] >= 3) {
                heights.add(s[2]);
            }
        }
        Arrays.sort(areas);
        c.medianArea = areas[c.count / 2];
        c.fill = weight == 0 ? 0 : filled / weight;
        if (!heights.isEmpty()) {
            heights.sort(null);
            c.textHeight = heights.get(heights.size() / 2);
        }
        return c;
    }
}
