"""The newsmon Scrapy project: settings, outlet configuration, pipelines, extraction,
relevance, scheduling and the ``newsmon`` command line."""
