/** analyze:text_stats: a third-party worker built against crank-core alone. */
package com.example.textstats;
