# a local plugin
