"""HTML layouts of the CMSs the demo outlets run: Drupal, WordPress, Al Jazeera's React
front end and Alwasat's custom Arabic site."""

from crawler.demo.layouts.aljazeera import AlJazeeraLayout
from crawler.demo.layouts.alwasat import AlwasatLayout
from crawler.demo.layouts.base import Layout
from crawler.demo.layouts.drupal import DrupalLayout
from crawler.demo.layouts.wordpress import WordPressLayout

__all__ = ["AlJazeeraLayout", "AlwasatLayout", "DrupalLayout", "Layout", "WordPressLayout"]
