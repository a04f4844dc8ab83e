"""Article storage: SQLAlchemy models, migrations, URL identity, syndication and queries.

This package never imports Scrapy or the crawler, so the query CLI, notebooks and
tests can use it alone.
"""
